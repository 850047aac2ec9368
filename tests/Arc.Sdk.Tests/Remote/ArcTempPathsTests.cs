using System.Diagnostics;
using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// The /tmp/arc-* sweep on real folders and processes: dead owners' paths go (a reused pid too), live owners' and
/// foreign names stay, and a planted symbolic link is removed without touching what it points at.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(TempPathSweepCollection.Name)]
public sealed class ArcTempPathsTests
{
    [Fact]
    public void Created_folders_are_0700_and_name_this_process()
    {
        string folder = ArcTempPaths.CreateDirectory(ArcTempPaths.Save);
        try
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.True(ArcTempPaths.IsOwnedBy(folder, ArcTempPaths.Save, Environment.ProcessId));
            Assert.DoesNotContain(folder, ArcTempPaths.FindDead());
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void The_sweep_removes_dead_owners_paths_only()
    {
        string root = ArcTempPaths.Root;
        int dead = DeadPid();
        string random() => Guid.NewGuid().ToString("N");
        string deadFolder = Path.Combine(root, $"arc-save-{dead}-12345-{random()}");
        string legacyDeadFolder = Path.Combine(root, $"arc-develop-{dead}-{random()}");
        string deadFile = Path.Combine(root, $"arc-blob-{dead}-12345-{random()}");
        string reusedPid = Path.Combine(root, $"arc-image-{Environment.ProcessId}-{OwnerStamp.Current.StartTime + 1}-{random()}");
        string live = Path.Combine(root, $"arc-image-{OwnerStamp.Current}-{random()}");
        string foreign = Path.Combine(root, $"arc-develop-tests-{random()}");
        string target = TestScratch.Create().FullName;
        string link = Path.Combine(root, $"arc-save-{dead}-12345-{random()}");
        try
        {
            foreach (var folder in new[] { deadFolder, legacyDeadFolder, reusedPid, live, foreign })
                File.WriteAllText(Path.Combine(Directory.CreateDirectory(folder).FullName, "x"), "x");
            File.WriteAllText(deadFile, "x");
            File.WriteAllText(Path.Combine(target, "keep"), "x");
            Directory.CreateSymbolicLink(link, target);

            var removed = ArcTempPaths.SweepDead();

            foreach (var path in new[] { deadFolder, legacyDeadFolder, deadFile, reusedPid, link })
            {
                Assert.Contains(path, removed);
                Assert.False(Path.Exists(path), $"{path} should have been swept");
            }
            Assert.True(Directory.Exists(live));
            Assert.True(Directory.Exists(foreign));
            Assert.True(File.Exists(Path.Combine(target, "keep")), "the sweep followed a symbolic link");
        }
        finally
        {
            foreach (var folder in new[] { deadFolder, legacyDeadFolder, reusedPid, live, foreign, target })
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            if (File.Exists(deadFile)) File.Delete(deadFile);
            if (Path.Exists(link)) File.Delete(link);
        }
    }

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
