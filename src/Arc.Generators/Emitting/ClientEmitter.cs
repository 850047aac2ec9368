using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace Arc.Generators;

/// <summary>
/// Writes the remote side of one <c>[Model]</c> or <c>[Job]</c> class: the typed <c>Registration</c>, the nested typed
/// <c>Client</c> (the same interface as the local class, calls going wherever the target runs it), and the static
/// <c>DevelopAsync</c> entry points that start an instance on a <c>Target</c> from typed (hyper)parameters.
/// </summary>
internal static class ClientEmitter
{
    private const string Target = "global::Arc.Sdk.Target";
    private const string CancellationToken = "global::System.Threading.CancellationToken";

    /// <summary>The <c>Registration</c> property, which the module initializer registers.</summary>
    public static void EmitRegistration(SourceWriter writer, TargetClassSpec spec)
    {
        var names = new Names(spec);
        writer.Line("/// <summary>");
        writer.Line("/// How <see cref=\"" + spec.FullTypeName + "\"/> is registered with <see cref=\"global::Arc.Sdk.ArcRegistry\"/> (as <c>" + spec.RegisteredName + "</c>):");
        writer.Line("/// its " + names.RecordWord + " in wire form and how to create it, which is what lets a worker elsewhere create it by name.");
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Line("public static " + (spec.HidesInheritedClient ? "new " : "") + names.RegistrationType + " Registration { get; } = new(");
        writer.Indent();
        writer.Line(WireTypeEmitter.Quote(spec.RegisteredName) + ",");
        writer.Line("static " + names.Argument + " => Create(" + names.Argument + "),");
        writer.Line(spec.FullTypeName + "." + spec.Record.FormatterName + ".Instance,");
        writer.Line("new " + names.RecordType + "());");
        writer.Dedent();
    }

    /// <summary>The two <c>DevelopAsync</c> overloads: one parameter per constructor argument, and the record.</summary>
    public static void EmitDevelop(SourceWriter writer, TargetClassSpec spec)
    {
        var names = new Names(spec);
        var parameters = spec.Record.Parameters;
        var taken = new HashSet<string>(parameters.Select(p => p.Name));
        string target = FreeName("target", taken);
        string cancellation = FreeName("cancellationToken", taken);
        string clientTask = "global::System.Threading.Tasks.Task<" + names.ClientType + ">";

        writer.Line("/// <summary>");
        writer.Line("/// Creates a <see cref=\"" + spec.FullTypeName + "\"/> with these " + names.RecordWord + " where <paramref name=\"" + target + "\"/> runs " + names.KindWord + "s");
        writer.Line("/// (in this process, a loopback worker, a child process...) and returns its typed <see cref=\"" + names.ClientType + "\"/>;");
        writer.Line("/// dispose the client (<c>await using</c>) to release it.");
        writer.Line("/// </summary>");
        writer.Line("/// <param name=\"" + target + "\">Where the " + names.KindWord + " runs, e.g. <see cref=\"global::Arc.Sdk.Target.LocalProcess\"/>.</param>");
        foreach (var p in parameters)
            writer.Line("/// <param name=\"" + p.Name + "\">The constructor's <c>" + p.Name + "</c> argument" + (p.DefaultLiteral is null ? " (required)" : "") + ".</param>");
        writer.Line("/// <param name=\"" + cancellation + "\">Cancels starting the " + names.KindWord + ".</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        var signature = new List<string> { Target + " " + target };
        signature.AddRange(parameters.Select(p => p.Type.TypeName + " " + Identifier(p.Name) + (p.DefaultLiteral is null ? "" : " = " + p.DefaultLiteral)));
        signature.Add(CancellationToken + " " + cancellation + " = default");
        writer.Line("public static " + (spec.HidesInheritedDevelop ? "new " : "") + clientTask + " DevelopAsync(" + string.Join(", ", signature) + ")");
        writer.Indent();
        writer.Line("=> DevelopAsync(" + target + ", new " + names.RecordType + "(" + string.Join(", ", parameters.Select(p => Identifier(p.Name))) + "), " + cancellation + ");");
        writer.Dedent();
        writer.Line();

        // The record overload never hides a base's: the record type is the class's own, so it is an overload there.
        writer.Line("/// <summary>");
        writer.Line("/// Creates a <see cref=\"" + spec.FullTypeName + "\"/> from <paramref name=\"" + names.Argument + "\"/> where <paramref name=\"target\"/> runs " + names.KindWord + "s");
        writer.Line("/// and returns its typed <see cref=\"" + names.ClientType + "\"/>; dispose the client (<c>await using</c>) to release it.");
        writer.Line("/// </summary>");
        writer.Line("/// <param name=\"target\">Where the " + names.KindWord + " runs, e.g. <see cref=\"global::Arc.Sdk.Target.LocalProcess\"/>.</param>");
        writer.Line("/// <param name=\"" + names.Argument + "\">The constructor's arguments.</param>");
        writer.Line("/// <param name=\"cancellationToken\">Cancels starting the " + names.KindWord + ".</param>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        writer.Open("public static async " + clientTask + " DevelopAsync(" + Target + " target, " + names.RecordType + " " + names.Argument + ", " + CancellationToken + " cancellationToken = default)");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(target);");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(" + names.Argument + ");");
        writer.Line("var deployed = await " + names.Deployment + ".DeployAsync(Registration, target, " + names.Argument + ", cancellationToken).ConfigureAwait(false);");
        writer.Line("return new " + names.ClientType + "(deployed, target, " + names.Argument + ");");
        writer.Close();
    }

    /// <summary>The nested <c>Client</c> class, which forwards every call to what the target deployed.</summary>
    public static void EmitClient(SourceWriter writer, TargetClassSpec spec)
    {
        var names = new Names(spec);
        string deployedType = names.DeployedInterface;
        writer.Line("/// <summary>");
        writer.Line("/// The typed client of a deployed <see cref=\"" + spec.FullTypeName + "\"/>: the same <see cref=\"" + names.InterfaceCref + "\"/> calls as the local class,");
        writer.Line("/// going wherever its <c>Target</c> runs the " + names.KindWord + ". Get one from <c>DevelopAsync</c>; dispose it to release the " + names.KindWord + ".");
        writer.Line("/// </summary>");
        writer.Line(GeneratedFile.GeneratedCodeAttribute);
        // A model's client also says where the model computes, so an evaluation report names the device.
        string interfaces = spec.Kind == TargetKind.Model ? deployedType + ", global::Arc.Types.IDeviceInfo" : deployedType;
        writer.Open("public " + (spec.HidesInheritedClient ? "new " : "") + "sealed class Client : " + interfaces);
        writer.Line("internal Client(" + deployedType + " deployed, " + Target + " target, " + names.RecordType + " " + names.Argument + ")");
        writer.Line("{");
        writer.Indent();
        writer.Line("Deployed = deployed;");
        writer.Line("Target = target;");
        writer.Line(names.RecordProperty + " = " + names.Argument + ";");
        writer.Dedent();
        writer.Line("}");
        writer.Line();
        writer.Line("/// <summary>The " + names.RecordWord + " the " + names.KindWord + " was created with.</summary>");
        writer.Line("public " + names.RecordType + " " + names.RecordProperty + " { get; }");
        writer.Line();
        writer.Line("/// <summary>Where the " + names.KindWord + " runs.</summary>");
        writer.Line("public " + Target + " Target { get; }");
        writer.Line();
        writer.Line("/// <summary>What the target deployed, which every call goes to (e.g. a remote " + names.KindWord + ", for calls with deadlines).</summary>");
        writer.Line("public " + deployedType + " Deployed { get; }");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public string Name => Deployed.Name;");
        writer.Line();
        if (spec.Kind == TargetKind.Model)
            EmitModelCalls(writer, spec);
        else
            EmitJobCalls(writer, spec);
        EmitSave(writer, spec, names);
        writer.Line("/// <summary>Releases the " + names.KindWord + " where it runs (the object in process, the worker otherwise).</summary>");
        writer.Line("public global::System.Threading.Tasks.ValueTask DisposeAsync() => Deployed.DisposeAsync();");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public override string ToString() => " + WireTypeEmitter.Quote(spec.Record.OwnerName + " client on ") + " + Target + \": \" + Deployed;");
        writer.Close();
    }

    /// <summary><c>SaveAsync</c>: saves the deployed instance as an OCI artifact through the runtime helper of its kind.</summary>
    private static void EmitSave(SourceWriter writer, TargetClassSpec spec, Names names)
    {
        const string Reference = "global::Arc.Artifacts.ArtifactReference";
        const string SigningKey = "global::Arc.Artifacts.ArtifactSigningKey";
        writer.Line("/// <summary>");
        writer.Line("/// Saves this " + names.KindWord + " as an OCI artifact (" + (spec.Kind == TargetKind.Model ? "weights, " : "") + "its " + names.RecordWord + ", X/Y types and code bundle) into <paramref name=\"repository\"/>");
        writer.Line("/// (default: the local OCI layout) and returns its reference, which any process can connect to.");
        writer.Line("/// </summary>");
        writer.Line("/// <param name=\"repository\">Where to save: a registry repository or an <c>oci-layout:</c> folder; null for the default.</param>");
        if (spec.Kind == TargetKind.Model)
            writer.Line("/// <param name=\"evaluation\">An evaluation report to keep with the model, or null.</param>");
        writer.Line("/// <param name=\"signingKey\">A key to sign the artifact with (the signature is pushed next to it), or null.</param>");
        writer.Line("/// <param name=\"cancellationToken\">Cancels saving.</param>");
        // Named arguments from the key on: the runtime helpers may gain parameters without breaking generated code.
        if (spec.Kind == TargetKind.Model)
        {
            writer.Line("public global::System.Threading.Tasks.Task<" + Reference + "> SaveAsync(" + Reference + "? repository = null, global::Arc.Sdk.EvalReport? evaluation = null, " + SigningKey + "? signingKey = null, " + CancellationToken + " cancellationToken = default)");
            writer.Line("    => global::Arc.Sdk.ModelArtifacts.SaveAsync(" + spec.FullTypeName + ".Registration, this, " + names.RecordProperty + ", repository, evaluation, signingKey: signingKey, cancellationToken: cancellationToken);");
        }
        else
        {
            writer.Line("public global::System.Threading.Tasks.Task<" + Reference + "> SaveAsync(" + Reference + "? repository = null, " + SigningKey + "? signingKey = null, " + CancellationToken + " cancellationToken = default)");
            writer.Line("    => global::Arc.Sdk.JobArtifacts.SaveAsync(" + spec.FullTypeName + ".Registration, " + names.RecordProperty + ", repository, signingKey: signingKey, cancellationToken: cancellationToken);");
        }
        writer.Line();
    }

    private static void EmitModelCalls(SourceWriter writer, TargetClassSpec spec)
    {
        string x = spec.InputType, y = spec.OutputType;
        writer.Line("/// <summary>Where the model computes (e.g. <c>cpu</c>, <c>cuda:0</c>) as the deployed model reports it; <c>unknown</c> when it does not say.</summary>");
        writer.Line("public string DeviceName => Deployed is global::Arc.Types.IDeviceInfo device ? device.DeviceName : \"unknown\";");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public global::System.Threading.Tasks.ValueTask<global::Arc.Types.FitResult> FitAsync(" + x + " x, " + y + " y, " + CancellationToken + " cancellationToken = default)");
        writer.Line("    => Deployed.FitAsync(x, y, cancellationToken);");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public global::System.Collections.Generic.IAsyncEnumerable<global::Arc.Types.FitResult> FitBatchesAsync(global::System.Collections.Generic.IAsyncEnumerable<global::Arc.Types.Batch<" + x + ", " + y + ">> batches, " + CancellationToken + " cancellationToken = default)");
        writer.Line("    => Deployed.FitBatchesAsync(batches, cancellationToken);");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public global::System.Threading.Tasks.ValueTask<" + y + "> PredictAsync(" + x + " x, " + CancellationToken + " cancellationToken = default)");
        writer.Line("    => Deployed.PredictAsync(x, cancellationToken);");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public global::System.Threading.Tasks.ValueTask SaveWeightsAsync(global::System.IO.Stream destination, " + CancellationToken + " cancellationToken = default)");
        writer.Line("    => Deployed.SaveWeightsAsync(destination, cancellationToken);");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public global::System.Threading.Tasks.ValueTask LoadWeightsAsync(global::System.IO.Stream source, " + CancellationToken + " cancellationToken = default)");
        writer.Line("    => Deployed.LoadWeightsAsync(source, cancellationToken);");
        writer.Line();
    }

    private static void EmitJobCalls(SourceWriter writer, TargetClassSpec spec)
    {
        string batch = "global::Arc.Types.Batch<" + spec.InputType + ", " + spec.OutputType + ">";
        writer.Line("/// <inheritdoc />");
        writer.Line("public global::System.Collections.Generic.IAsyncEnumerable<" + batch + "> StreamAsync(int batchSize = 64, global::Arc.Sdk.DataSplit split = global::Arc.Sdk.DataSplit.Train,");
        writer.Line("    int? shuffleSeed = null, " + CancellationToken + " cancellationToken = default)");
        writer.Line("    => Deployed.StreamAsync(batchSize, split, shuffleSeed, cancellationToken);");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public global::System.Threading.Tasks.ValueTask<" + batch + "> SampleAsync(int count, global::Arc.Sdk.DataSplit split = global::Arc.Sdk.DataSplit.Train,");
        writer.Line("    int? seed = null, " + CancellationToken + " cancellationToken = default)");
        writer.Line("    => Deployed.SampleAsync(count, split, seed, cancellationToken);");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        writer.Line("public global::System.Threading.Tasks.ValueTask<global::Arc.Sdk.EvalReport> EvaluateAsync(global::Arc.Types.ISupervisedModel<" + spec.InputType + ", " + spec.OutputType + "> model,");
        writer.Line("    global::Arc.Sdk.DataSplit split = global::Arc.Sdk.DataSplit.Test, int batchSize = 256, " + CancellationToken + " cancellationToken = default)");
        writer.Line("    => Deployed.EvaluateAsync(model, split, batchSize, cancellationToken);");
        writer.Line();
    }

    /// <summary><paramref name="wanted"/>, or the first of <c>arcWanted</c>, <c>arcWanted2</c>... no constructor parameter uses.</summary>
    private static string FreeName(string wanted, HashSet<string> taken)
    {
        if (!taken.Contains(wanted)) return wanted;
        string prefixed = "arc" + char.ToUpperInvariant(wanted[0]) + wanted.Substring(1);
        string name = prefixed;
        for (int n = 2; taken.Contains(name); n++)
            name = prefixed + n;
        return name;
    }

    /// <summary>A parameter name as a C# identifier (keywords get <c>@</c>).</summary>
    private static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary>The type names and words that differ between models and jobs.</summary>
    private readonly struct Names
    {
        public Names(TargetClassSpec spec)
        {
            bool isModel = spec.Kind == TargetKind.Model;
            string types = "<" + spec.InputType + ", " + spec.OutputType + ">";
            RecordType = spec.FullTypeName + "." + spec.Record.RecordName;
            RecordProperty = spec.Record.RecordName;
            Argument = isModel ? "hyperparameters" : "parameters";
            RecordWord = isModel ? "hyperparameters" : "parameters";
            KindWord = isModel ? "model" : "job";
            ClientType = spec.FullTypeName + ".Client";
            RegistrationType = (isModel ? "global::Arc.Sdk.ModelRegistration<" : "global::Arc.Sdk.JobRegistration<")
                + spec.FullTypeName + ", " + RecordType + ", " + spec.InputType + ", " + spec.OutputType + ">";
            DeployedInterface = (isModel ? "global::Arc.Remote.IDeployedModel" : "global::Arc.Sdk.IDeployedJob") + types;
            InterfaceCref = isModel ? "global::Arc.Types.ISupervisedModel{X, Y}" : "global::Arc.Sdk.ISupervisedJob{X, Y}";
            Deployment = isModel ? "global::Arc.Sdk.ModelRegistrationDeployment" : "global::Arc.Sdk.JobRegistrationDeployment";
        }

        public string RecordType { get; }
        public string RecordProperty { get; }
        public string Argument { get; }
        public string RecordWord { get; }
        public string KindWord { get; }
        public string ClientType { get; }
        public string RegistrationType { get; }
        public string DeployedInterface { get; }
        public string InterfaceCref { get; }
        public string Deployment { get; }
    }
}
