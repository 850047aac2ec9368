using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arc.Artifacts;

namespace Arc.Cli;

/// <summary>
/// <c>arc package</c>: writes a model archive (seed 004's <c>package</c>, docs/model-archive.md) with the seed's options
/// and short flags and a reproducible result: the same module dir and options give the same bytes.
/// </summary>
internal static class PackageCommand
{
    public static Command Build()
    {
        var module = new Option<string>("--module-dir", "-m") { Description = "The module dir: a build output folder with the model's assemblies (default: the current folder)", HelpName = "dir", DefaultValueFactory = _ => "" };
        var train = new Option<string?>("--train-script", "-t") { Description = "The training entry, <assembly>.dll[:<type>] inside the module dir (default: the folder's one app)", HelpName = "entry" };
        var serve = new Option<string?>("--serve-script", "-s") { Description = "The serving entry, in the same form (default: the training entry's assembly)", HelpName = "entry" };
        var logName = new Option<string>("--log-name-format", "-l") { Description = "The strftime format of log file names", HelpName = "format", DefaultValueFactory = _ => ModelArchiveManifest.DefaultLogNamingFormat };
        var logDir = new Option<string>("--log-dir", "-L") { Description = "Where log files go", HelpName = "dir", DefaultValueFactory = _ => ModelArchiveManifest.DefaultLogDirectory };
        var tensorboard = new Option<bool>("--enable-tensorboard") { Description = "Training writes TensorBoard event files" };
        var tensorboardDir = new Option<string>("--tensorboard-dir", "-T") { Description = "Where TensorBoard event files go", HelpName = "dir", DefaultValueFactory = _ => ModelArchiveManifest.DefaultTensorboardDirectory };
        var manifestFile = new Option<string?>("--manifest-file", "-M") { Description = "A manifest.json to use instead of one made from the options above", HelpName = "file" };
        var output = new Option<string>("--output", "-o") { Description = "The archive to write", HelpName = "file", DefaultValueFactory = _ => ModelArchiveOptions.DefaultOutput };
        var job = new Option<string?>("--job") { Description = "The [Job] training uses, recorded in the manifest as the extra field \"job\" (default: --job in the training arguments)", HelpName = "name" };
        var command = new Command("package", "Write a model archive (.tar.gz with manifest.json) from a build output folder")
        {
            module, train, serve, logName, logDir, tensorboard, tensorboardDir, manifestFile, output, job,
        };
        command.SetLocalAction(async (parse, answer, cancellationToken) =>
        {
            if (parse.GetValue(manifestFile) is not null && parse.GetValue(job) is not null)
                throw new ArgumentException("--job goes into the manifest that arc makes; with -M/--manifest-file write \"job\" in that file instead");
            var options = new ModelArchiveOptions
            {
                ModuleDirectory = parse.GetValue(module) ?? "",
                TrainingScript = parse.GetValue(train),
                ServingScript = parse.GetValue(serve),
                LogNamingFormat = parse.GetValue(logName)!,
                LogDirectory = parse.GetValue(logDir)!,
                EnableTensorboard = parse.GetValue(tensorboard),
                TensorboardDirectory = parse.GetValue(tensorboardDir)!,
                ManifestFile = parse.GetValue(manifestFile),
                Output = parse.GetValue(output)!,
                ExtraFields = parse.GetValue(job) is { } name ? new() { ["job"] = JsonSerializer.SerializeToElement(name) } : null,
            };
            var result = await ModelArchive.CreateAsync(options, cancellationToken).ConfigureAwait(false);
            if (answer.Json)
            {
                answer.WriteJson(new JsonObject
                {
                    ["path"] = result.Path,
                    ["sha256"] = result.Sha256,
                    ["bytes"] = result.Bytes,
                    ["files"] = result.Files,
                    ["trainingScript"] = result.Manifest.TrainingScript,
                    ["servingScript"] = result.Manifest.ServingScript,
                    ["packages"] = result.Requirements.Packages.Count,
                    ["externalPackages"] = new JsonArray(result.Requirements.External.Select(p => (JsonNode?)JsonValue.Create($"{p.Id} {p.Version}")).ToArray()),
                });
                return ExitCodes.Success;
            }
            answer.WriteLine($"wrote {result.Path} ({result.Bytes} bytes, {result.Files} files, sha256 {result.Sha256})");
            answer.WriteLine($"  training: {result.Manifest.TrainingScript ?? "(none)"}; serving: {result.Manifest.ServingScript ?? "(none)"}");
            answer.WriteLine($"  NuGet packages: {result.Requirements.Packages.Count} recorded" + (result.Requirements.External.Count == 0 ? ""
                : $"; not carried (linked from the NuGet folder when opened): {string.Join(", ", result.Requirements.External.Select(p => $"{p.Id} {p.Version}"))}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
