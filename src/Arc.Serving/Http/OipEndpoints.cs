using System.Globalization;
using System.Text.Json;
using Arc.Types;
using Microsoft.AspNetCore.Http;

namespace Arc.Serving;

/// <summary>
/// The Open Inference Protocol v2 REST API (KServe's "V2", Triton's HTTP API): server and model health, metadata,
/// readiness, and <c>POST /v2/models/{name}[/versions/{version}]/infer</c> with JSON tensors and the binary tensor data
/// extension. Errors are <c>{"error": "..."}</c> as the protocol says.
/// </summary>
internal static class OipEndpoints
{
    /// <summary>The binary tensor data extension's header: the length of the JSON at the start of the body.</summary>
    public const string HeaderLength = "Inference-Header-Content-Length";

    public static Task ServerMetadataAsync(HttpContext context) => HttpAnswers.JsonAsync(context, StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteString("name", "arc");
        w.WriteString("version", typeof(OipEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        w.WriteStartArray("extensions");
        w.WriteStringValue("binary_tensor_data");
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static Task LiveAsync(HttpContext context) => HttpAnswers.JsonAsync(context, StatusCodes.Status200OK, w => { w.WriteStartObject(); w.WriteBoolean("live", true); w.WriteEndObject(); });

    public static Task ServerReadyAsync(HttpContext context, ServedModel served)
        => HttpAnswers.JsonAsync(context, served.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            w => { w.WriteStartObject(); w.WriteBoolean("ready", served.IsReady); w.WriteEndObject(); });

    public static Task ModelReadyAsync(HttpContext context, ServedModel served)
    {
        if (NotThisModel(context, served) is { } missing) return missing;
        return HttpAnswers.JsonAsync(context, served.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", served.Name);
            w.WriteBoolean("ready", served.IsReady);
            w.WriteEndObject();
        });
    }

    public static Task ModelMetadataAsync(HttpContext context, ServedModel served)
    {
        if (NotThisModel(context, served) is { } missing) return missing;
        return HttpAnswers.JsonAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", served.Name);
            w.WriteStartArray("versions");
            w.WriteStringValue(served.Version);
            w.WriteEndArray();
            w.WriteString("platform", "arc");
            WriteTensors(w, "inputs", served.InputType is { } x ? OipTensorForms.InputMetadata(x, served.Contract.X) : []);
            WriteTensors(w, "outputs", served.OutputType is { } y ? OipTensorForms.OutputMetadata(y) : []);
            w.WriteEndObject();
        });
    }

    public static async Task InferAsync(HttpContext context, ServedModel served, ServingOptions options)
    {
        if (NotThisModel(context, served) is { } missing)
        {
            await missing.ConfigureAwait(false);
            return;
        }
        var queue = served.Queue;
        var body = await RequestBodies.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        int? jsonLength = null;
        if (context.Request.Headers[HeaderLength] is { Count: > 0 } header)
            jsonLength = int.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                ? n : throw new OipRequestException(HeaderLength, $"is '{header[0]}', not a byte count");
        var request = OipInferRequest.Read(body, jsonLength);
        if (served.InputType is not { } inputType)
            throw new OipRequestException("inputs", $"model '{served.Name}' is served by a module without typed inputs; POST to /invocations");
        var input = OipTensorForms.ToInput(inputType, request.Inputs);
        if (served.Contract.X?.Mismatch(input) is { } mismatch)
            throw new OipRequestException("inputs", $"do not fit the model's contract ({served.Contract.X}): {mismatch}");
        var output = await queue.PredictAsync(input).ConfigureAwait(false);
        var (answer, answerJsonLength) = OipInferResponse.Write(served.Name, served.Version, request, OipTensorForms.FromOutput((IArcData)output));
        if (answerJsonLength is { } length)
        {
            context.Response.Headers[HeaderLength] = length.ToString(CultureInfo.InvariantCulture);
            await HttpAnswers.BytesAsync(context, answer, "application/octet-stream").ConfigureAwait(false);
        }
        else
        {
            await HttpAnswers.BytesAsync(context, answer, "application/json").ConfigureAwait(false);
        }
    }

    /// <summary>A 404 answer when the route names another model or version than the one served; null when it is ours.</summary>
    private static Task? NotThisModel(HttpContext context, ServedModel served)
    {
        string? name = context.Request.RouteValues["name"] as string;
        string? version = context.Request.RouteValues["version"] as string;
        if (name != served.Name)
            return HttpAnswers.ErrorAsync(context, StatusCodes.Status404NotFound, $"model '{name}' is not served here; this server serves '{served.Name}'");
        if (version is not null && version != served.Version)
            return HttpAnswers.ErrorAsync(context, StatusCodes.Status404NotFound, $"model '{name}' has no version '{version}'; it serves version '{served.Version}'");
        return null;
    }

    private static void WriteTensors(Utf8JsonWriter w, string property, IReadOnlyList<(string Name, string Datatype, long[] Shape)> tensors)
    {
        w.WriteStartArray(property);
        foreach (var (name, datatype, shape) in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("datatype", datatype);
            w.WriteStartArray("shape");
            foreach (var d in shape) w.WriteNumberValue(d);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
