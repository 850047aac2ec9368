using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Contracts;

/// <summary>
/// Contracts seen from Python (Debian's /usr/bin/python3 with python3-grpcio and python3-msgpack, no stubs): for an
/// image, a table and a text model, each in a real worker process found through its public endpoint and token,
/// Describe carries the contract, a batch that fits is answered, and one that does not gets INVALID_ARGUMENT with
/// Arc's trailers naming both shapes.
/// </summary>
public sealed class PythonContractTests
{
    private const string Python = "/usr/bin/python3";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Script([CallerFilePath] string here = "")
        => Path.Combine(Path.GetDirectoryName(here)!, "..", "Remote", "Python", "arc_contract_client.py");

    private static async Task<JsonElement> RunAsync(IWorkerProcess worker, string kind)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3, python3-grpcio and python3-msgpack (scripts/install-prereqs.sh)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["ARC_WORKER_TOKEN"] = worker.Token;
        start.ArgumentList.Add(Script());
        start.ArgumentList.Add($"{worker.Endpoint.Host}:{worker.Endpoint.Port}");
        start.ArgumentList.Add(kind);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"arc_contract_client.py {kind} did not finish in 60 s (killed)");
        }
        string output = await stdout, errors = await stderr;
        Assert.True(process.ExitCode == 0, $"arc_contract_client.py {kind} exited with {process.ExitCode}:\n{output}{errors}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static void AssertRefused(JsonElement misfit, string message)
    {
        Assert.Equal("INVALID_ARGUMENT", misfit.GetProperty("code").GetString());
        Assert.Equal(typeof(ArgumentException).FullName, misfit.GetProperty("type").GetString());
        Assert.Equal("x", misfit.GetProperty("param").GetString());
        Assert.Equal(message, misfit.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Python_reads_each_contract_from_Describe_and_gets_InvalidArgument_naming_the_shapes_for_a_misfit()
    {
        await using var image = await ContractImageModel.DeployAsync(Target.LocalProcess, cancellationToken: Ct);
        var result = await RunAsync((IWorkerProcess)image.Deployed, "image");
        var contract = result.GetProperty("describe").GetProperty("contract");
        Assert.Equal(ContractImageModel.Registration.Contract, DataContract.FromJson(contract));
        Assert.Equal(1, contract.GetProperty("x").GetProperty("channels").GetInt32());
        Assert.Equal("float32", contract.GetProperty("x").GetProperty("dtype").GetString());
        Assert.Equal(["dark", "light"], contract.GetProperty("y").GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("class", result.GetProperty("fits").GetProperty("arc").GetString());
        Assert.Equal(2, result.GetProperty("fits").GetProperty("count").GetInt32());
        AssertRefused(result.GetProperty("misfit"),
            "x does not fit the model's contract: expected image [N, 1, 4, 4] float32, received image [N, 3, 8, 8] float32");

        await using var table = await ContractTableModel.DeployAsync(Target.LocalProcess, cancellationToken: Ct);
        result = await RunAsync((IWorkerProcess)table.Deployed, "table");
        var columns = result.GetProperty("describe").GetProperty("contract").GetProperty("x").GetProperty("columns");
        Assert.Equal(Enumerable.Range(0, 13).Select(i => $"f{i}"), columns.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(2, result.GetProperty("fits").GetProperty("count").GetInt32());
        AssertRefused(result.GetProperty("misfit"),
            "x does not fit the model's contract: expected table of 13 columns (f0 float32, f1 float32, f2 float32, f3 float32, f4 float32, " +
            "f5 float32, f6 float32, f7 float32, f8 float32, f9 float32, f10 float32, f11 float32, f12 float32), received table of 1 column (x float32)");

        await using var text = await ContractTextModel.DeployAsync(Target.LocalProcess, cancellationToken: Ct);
        result = await RunAsync((IWorkerProcess)text.Deployed, "text");
        Assert.Equal(8, result.GetProperty("describe").GetProperty("contract").GetProperty("x").GetProperty("max_length").GetInt32());
        Assert.Equal("label", result.GetProperty("fits").GetProperty("arc").GetString());
        AssertRefused(result.GetProperty("misfit"),
            "x does not fit the model's contract: expected text of at most 8 characters, received text of 12 characters (sample 1)");
    }
}
