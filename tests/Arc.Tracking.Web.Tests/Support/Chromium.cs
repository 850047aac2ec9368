using Microsoft.Playwright;
using Xunit;

[assembly: AssemblyFixture(typeof(Arc.Tracking.Web.Tests.Support.Chromium))]

namespace Arc.Tracking.Web.Tests.Support;

/// <summary>
/// Debian's chromium (<see cref="ExecutablePath"/>, installed by scripts/install-prereqs.sh) started headless once for
/// all browser tests and driven by Playwright; no browser is ever downloaded. When it cannot start, every browser test
/// fails with the reason: a missing browser is a broken test machine, not a test to skip.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Exception? _failure;

    /// <summary>Where the screenshots of the pages go: the test output folder, kept as the run's artifacts.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        // The driver would fetch its own browser build on `install`; nothing here calls it, and this makes sure.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        try
        {
            if (!File.Exists(ExecutablePath)) throw new FileNotFoundException($"{ExecutablePath} is missing: run scripts/install-prereqs.sh (Debian package chromium)");
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // The tests may run as root, where chromium refuses its sandbox; the pages are the tests' own.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                Timeout = 60_000,
            });
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    /// <summary>A fresh browser context (own cookies) on <paramref name="site"/>; fails the test when chromium could not start.</summary>
    public async Task<IPage> NewPageAsync(TrackedSite site)
    {
        if (_browser is null)
            throw new InvalidOperationException($"chromium ({ExecutablePath}) could not be started headless by Playwright: {_failure?.Message}", _failure);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.Address.ToString(), ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the token form, as a person does: type the token, press the button.</summary>
    public static async Task SignInAsync(IPage page, string secret, string next = "/")
    {
        await page.GotoAsync(next);
        Assert.Contains("/token", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Token").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use this token" }).ClickAsync();
        // Waits for the navigation away from the form to commit and then for the next page's own content (every page's
        // layout begins with the skip link), not for a load state: waiting for the load event timed out twice in CI at
        // load 3-6 after the page had loaded ("NetworkIdle event fired"), and waiting for DOMContentLoaded once more
        // (2026-12-06, the same log line).
        await page.WaitForURLAsync(url => !url.Contains("/token", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator("a.skip").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>Saves the whole page as <c>screenshots/&lt;name&gt;.png</c> under the test output.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
