namespace Arc.Sdk;

/// <summary>Frees what a target or handler owns when the owned object happens to be disposable (models and jobs need not be).</summary>
internal static class Disposal
{
    /// <summary>Disposes <paramref name="owned"/> asynchronously when it can, else synchronously when it can, else does nothing.</summary>
    public static async ValueTask DisposeIfDisposableAsync(object owned)
    {
        if (owned is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        else if (owned is IDisposable disposable) disposable.Dispose();
    }
}
