namespace Arc.Sdk.Tests.Support;

/// <summary>Calls back on the reporting thread at once (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class SyncProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
