using System.Security.Cryptography;
using System.Text.Json;
using Arc.Sdk;
using Arc.Types;

namespace Arc.CommandLine;

/// <summary>Where a training run stands: enough to continue at the next step.</summary>
/// <param name="Epoch">The epoch of the last step done, from 1.</param>
/// <param name="Batch">The last step done within that epoch (0 when the epoch is yet to start).</param>
/// <param name="Step">Steps done.</param>
/// <param name="Samples">Samples fitted.</param>
/// <param name="EpochComplete">Whether the epoch <see cref="Epoch"/> was finished (and evaluated).</param>
internal sealed record CheckpointState(int Epoch, int Batch, long Step, long Samples, bool EpochComplete);

/// <summary>
/// Checkpoints under <c>checkpoints/step-NNNNNNNN/</c> of a run folder: <c>weights.bin</c>, <c>optimizer.bin</c> (when
/// the model has optimizer state, in process or on a worker: <see cref="OptimizerStates"/>), <c>rng.bin</c> (torch's CPU generator,
/// <see cref="TorchRandomState"/>), <c>state.json</c>, and <c>manifest.json</c> with the
/// SHA-256 of each. Written to a temporary folder and renamed into place, then <c>checkpoints/latest</c> names it, so
/// a process killed while writing leaves the previous checkpoint as the latest. Loading checks every hash first and
/// refuses a damaged checkpoint with its path, before the model is touched.
/// </summary>
internal static class Checkpoints
{
    public const string Folder = "checkpoints";
    private const string Latest = "latest";

    public static async Task<string> SaveAsync<X, Y>(string runFolder, ISupervisedModel<X, Y> model, CheckpointState state, bool randomState,
        CancellationToken cancellationToken)
        where X : IArcData<X> where Y : IArcData<Y>
    {
        string root = Path.Combine(runFolder, Folder);
        Directory.CreateDirectory(root);
        string name = $"step-{state.Step:D8}";
        string final = Path.Combine(root, name);
        string temporary = Path.Combine(root, $".{name}.{Environment.ProcessId}.tmp");
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);

        using (var weights = File.Create(Path.Combine(temporary, "weights.bin")))
            await model.SaveWeightsAsync(weights, cancellationToken).ConfigureAwait(false);
        string optimizerPath = Path.Combine(temporary, "optimizer.bin");
        bool saved;
        using (var stream = File.Create(optimizerPath))
            saved = await OptimizerStates.TrySaveAsync(model, stream, cancellationToken).ConfigureAwait(false);
        if (!saved) File.Delete(optimizerPath); // the model has no optimizer state
        if (randomState)
            await File.WriteAllBytesAsync(Path.Combine(temporary, TorchRandomState.FileName), TorchRandomState.Capture(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(temporary, "state.json"), JsonSerializer.Serialize(state, RunJson.Indented), cancellationToken).ConfigureAwait(false);
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(temporary))
            hashes[Path.GetFileName(file)] = await HashAsync(file, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(temporary, "manifest.json"), JsonSerializer.Serialize(hashes, RunJson.Indented), cancellationToken).ConfigureAwait(false);

        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temporary, final);
        string latestTemp = Path.Combine(root, $".{Latest}.{Environment.ProcessId}.tmp");
        await File.WriteAllTextAsync(latestTemp, name + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(latestTemp, Path.Combine(root, Latest), overwrite: true);
        return final;
    }

    /// <summary>The checkpoint folder <paramref name="path"/> names: a checkpoint itself, or a run folder (its latest).</summary>
    /// <exception cref="CommandLineException">Neither.</exception>
    public static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(Path.Combine(full, "manifest.json")))
            return full;
        string latest = Path.Combine(full, Folder, Latest);
        if (File.Exists(latest))
        {
            string named = Path.Combine(full, Folder, File.ReadAllText(latest).Trim());
            if (Directory.Exists(named)) return named;
            throw new CommandLineException($"{latest} names {named}, which does not exist; pass a checkpoint folder under {Path.Combine(full, Folder)} instead");
        }
        if (!Directory.Exists(full))
            throw new CommandLineException($"{full} does not exist: give a run folder (written by train --output-dir) or one of its checkpoints/step-* folders");
        throw new CommandLineException($"{full} is neither a run folder with checkpoints/latest nor a checkpoint folder with manifest.json");
    }

    /// <summary>The run folder a checkpoint belongs to.</summary>
    public static string RunFolderOf(string checkpoint) => Path.GetDirectoryName(Path.GetDirectoryName(checkpoint)!)!;

    /// <summary>Checks <paramref name="checkpoint"/>'s files against its manifest and reads its state.</summary>
    /// <exception cref="CommandLineException">A file is missing, damaged or not listed; the message names it.</exception>
    public static async Task<CheckpointState> VerifyAsync(string checkpoint, CancellationToken cancellationToken)
    {
        string manifestPath = Path.Combine(checkpoint, "manifest.json");
        Dictionary<string, string>? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(manifestPath, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new CommandLineException($"corrupt checkpoint {checkpoint}: {manifestPath} cannot be read ({e.Message}); nothing was loaded");
        }
        if (manifest is null || !manifest.ContainsKey("weights.bin") || !manifest.ContainsKey("state.json"))
            throw new CommandLineException($"corrupt checkpoint {checkpoint}: {manifestPath} does not list weights.bin and state.json; nothing was loaded");
        foreach (var (file, expected) in manifest)
        {
            string path = Path.Combine(checkpoint, file);
            if (!File.Exists(path))
                throw new CommandLineException($"corrupt checkpoint {checkpoint}: {path} is missing; nothing was loaded");
            string actual = await HashAsync(path, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new CommandLineException($"corrupt checkpoint {checkpoint}: {path} does not match its SHA-256 in manifest.json (expected {expected}, found {actual}); nothing was loaded");
        }
        return JsonSerializer.Deserialize<CheckpointState>(await File.ReadAllTextAsync(Path.Combine(checkpoint, "state.json"), cancellationToken).ConfigureAwait(false), RunJson.Options)
            ?? throw new CommandLineException($"corrupt checkpoint {checkpoint}: state.json is empty");
    }

    /// <summary>
    /// Loads a verified checkpoint's weights into <paramref name="model"/>; when <paramref name="resuming"/>, also its
    /// optimizer state (here or on the model's worker) and torch's random state. Returns whether the optimizer state was restored.
    /// </summary>
    public static async Task<bool> LoadAsync<X, Y>(string checkpoint, ISupervisedModel<X, Y> model, bool resuming, CancellationToken cancellationToken)
        where X : IArcData<X> where Y : IArcData<Y>
    {
        try
        {
            using (var weights = File.OpenRead(Path.Combine(checkpoint, "weights.bin")))
                await model.LoadWeightsAsync(weights, cancellationToken).ConfigureAwait(false);
            string optimizerPath = Path.Combine(checkpoint, "optimizer.bin");
            bool optimizerRestored = false;
            if (resuming && File.Exists(optimizerPath))
                using (var stream = File.OpenRead(optimizerPath))
                    optimizerRestored = await OptimizerStates.TryLoadAsync(model, stream, cancellationToken).ConfigureAwait(false);
            // Last, after the model was built (which drew its initial weights from the generator): the stream continues
            // exactly where the checkpoint left it. Checkpoints written before rng.bin existed continue from the seed.
            string randomPath = Path.Combine(checkpoint, TorchRandomState.FileName);
            if (resuming && File.Exists(randomPath))
                TorchRandomState.Restore(await File.ReadAllBytesAsync(randomPath, cancellationToken).ConfigureAwait(false));
            return optimizerRestored;
        }
        catch (InvalidDataException e)
        {
            throw new CommandLineException($"checkpoint {checkpoint} does not fit model '{model.Name}': {e.Message}");
        }
        catch (Arc.Remote.ArcRemoteException e) when (e.RemoteType == typeof(InvalidDataException).FullName)
        {
            throw new CommandLineException($"checkpoint {checkpoint} does not fit model '{model.Name}' on its worker: {e.RemoteMessage}");
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
