namespace Arc.Sdk;

/// <summary>What one <see cref="DevelopModel{X, Y}.ReloadAsync"/> did.</summary>
/// <param name="Version">The worker's code version now serving (it grows by one with every reload attempt).</param>
/// <param name="FilesSent">Files whose content the worker did not hold yet and which therefore travelled.</param>
/// <param name="BytesSent">Their total size.</param>
/// <param name="FilesInManifest">Files of the build folder the worker laid out (changed or not).</param>
/// <param name="FilesLeftOut">
/// Build-folder files not laid out: those the worker ships itself (framework, Arc, TorchSharp, libtorch...) and
/// <c>runtimes/&lt;rid&gt;/</c> assets for other platforms.
/// </param>
public sealed record ReloadResult(long Version, int FilesSent, long BytesSent, int FilesInManifest, int FilesLeftOut);
