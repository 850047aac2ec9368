using System.Globalization;
using TorchSharp;
using Arc.Torch;

namespace Arc.CommandLine;

/// <summary>What every command that builds a model applies first: the device, the torch threads, the seed.</summary>
internal static class RunSettings
{
    /// <summary>
    /// Applies <c>--device</c> (as <c>ARC_DEVICE</c>, which worker processes started from here inherit), <c>--threads</c>
    /// and the seed. With <paramref name="forWorkers"/> the thread count also goes to the worker processes this one
    /// starts, as <c>OMP_NUM_THREADS</c> and <c>MKL_NUM_THREADS</c>, which libtorch reads for its thread pool when it starts.
    /// </summary>
    public static void Apply(string device, int? threads, int? seed, bool forWorkers = false)
    {
        ArcDevice parsed;
        try
        {
            parsed = ArcDevice.Parse(device);
        }
        catch (FormatException)
        {
            throw new CommandLineException($"--device: '{device}' is not a device; use auto, cpu, cuda or cuda:N", ArcCommandLineApp.UsageExitCode);
        }
        Environment.SetEnvironmentVariable(ArcDevice.DeviceVariable, parsed.IsAuto ? null : parsed.ToString());
        if (!parsed.IsAuto)
        {
            try
            {
                _ = parsed.Resolve(); // fail now, with the reason, rather than inside the model's constructor
            }
            catch (InvalidOperationException e)
            {
                throw new CommandLineException("--device: " + e.Message);
            }
        }
        if (threads is int n)
        {
            if (n < 1) throw new CommandLineException($"--threads: {n.ToString(CultureInfo.InvariantCulture)} is not a thread count; give 1 or more", ArcCommandLineApp.UsageExitCode);
            torch.set_num_threads(n);
            if (forWorkers)
            {
                string count = n.ToString(CultureInfo.InvariantCulture);
                Environment.SetEnvironmentVariable("OMP_NUM_THREADS", count);
                Environment.SetEnvironmentVariable("MKL_NUM_THREADS", count);
            }
        }
        if (seed is int s)
            torch.manual_seed(s);
    }

    /// <summary>Refuses a --dataset-dir that does not exist, naming it and how the job gets its data.</summary>
    public static void CheckDatasetDirectory(string? directory, CommandLineJob job)
    {
        if (directory is null || Directory.Exists(directory)) return;
        string hint = job.Registration.Type.GetCustomAttributes(typeof(DatasetHintAttribute), inherit: true) is [DatasetHintAttribute a, ..]
            ? a.HowToFetch
            : $"put the data of job '{job.Name}' there, or leave --dataset-dir out for the job's default location";
        throw new CommandLineException($"--dataset-dir: the folder {Path.GetFullPath(directory)} does not exist. {hint}");
    }
}
