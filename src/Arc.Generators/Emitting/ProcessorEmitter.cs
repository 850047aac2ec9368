using System.Linq;

namespace Arc.Generators;

/// <summary>
/// Writes the file for one <c>[Processor]</c> class: the <c>Parameters</c> record and its formatter, the fitted state's
/// formatter, <c>TypeName</c>, <c>Create</c>, <c>GetParameters</c>, the three wire hooks of <c>DatasetProcessor</c> and
/// <c>Load</c> from a dataset version, a <c>processor.arc</c> file or its bytes.
/// </summary>
internal static class ProcessorEmitter
{
    private const string Options = "global::Arc.Types.ArcFormatterOptions.Instance";
    private const string StateFile = "global::Arc.Datasets.ProcessorStateFile";

    public static string Emit(ProcessorSpec spec)
    {
        var writer = new SourceWriter();
        int depth = GeneratedFile.Open(writer, spec.Location);
        string type = spec.FullTypeName;
        string record = type + ".Parameters";
        string name = WireTypeEmitter.Quote(spec.RegisteredName);

        ParameterRecordEmitter.Emit(writer, spec.Record, record, "");
        writer.WriteLine();
        ParameterRecordEmitter.EmitFormatterOnly(writer, spec.State, spec.StateType);
        writer.WriteLine();

        writer.WriteLine($$"""
            /// <summary>This processor's type name in meta.json and processor.arc: <c>{{spec.RegisteredName}}</c>.</summary>
            {{GeneratedFile.GeneratedCode}}
            public const string ProcessorName = {{name}};

            /// <inheritdoc />
            {{GeneratedFile.Attributes}}
            public override string TypeName => ProcessorName;

            /// <summary>Creates an unfitted <see cref="{{type}}"/> from <paramref name="parameters"/> by calling its public constructor.</summary>
            {{GeneratedFile.Attributes}}
            public static {{type}} Create({{record}} parameters)
            {
                global::System.ArgumentNullException.ThrowIfNull(parameters);
                return new {{type}}({{string.Join(", ", spec.Record.Parameters.Select(p => "parameters." + p.PropertyName))}});
            }

            /// <summary>The constructor arguments of this processor, read back from its properties.</summary>
            {{GeneratedFile.Attributes}}
            public {{record}} GetParameters() => new {{record}}({{string.Join(", ", spec.Record.Parameters.Select(p => "this." + p.PropertyName))}});

            /// <inheritdoc />
            {{GeneratedFile.Attributes}}
            protected override void WriteParametersWire(ref global::MessagePack.MessagePackWriter writer)
                => ParametersFormatter.Instance.Serialize(ref writer, GetParameters(), {{Options}});

            /// <inheritdoc />
            {{GeneratedFile.Attributes}}
            protected override void WriteStateWire(ref global::MessagePack.MessagePackWriter writer, {{spec.StateType}} state)
                => StateFormatter.Instance.Serialize(ref writer, state, {{Options}});

            /// <inheritdoc />
            {{GeneratedFile.Attributes}}
            protected override {{spec.StateType}} ReadStateWire(ref global::MessagePack.MessagePackReader reader)
                => StateFormatter.Instance.Deserialize(ref reader, {{Options}});

            /// <summary>The fitted processor of the dataset version <paramref name="version"/> (its processor.arc).</summary>
            /// <exception cref="global::Arc.Datasets.DatasetFormatException">The version has no processor, or one of another type, or its state cannot be read (the message names the file).</exception>
            {{GeneratedFile.Attributes}}
            public static {{type}} Load(global::Arc.Datasets.DatasetVersion<{{spec.InputType}}, {{spec.OutputType}}> version)
            {
                global::System.ArgumentNullException.ThrowIfNull(version);
                byte[] bytes = {{StateFile}}.ReadFrom(version, ProcessorName, out string file);
                return FromStateBytes(bytes, file);
            }

            /// <summary>The fitted processor whose state is the file <paramref name="path"/> (a processor.arc).</summary>
            /// <exception cref="global::Arc.Datasets.DatasetFormatException">The file is not the state of this processor type (the message names it).</exception>
            {{GeneratedFile.Attributes}}
            public static {{type}} Load(string path) => FromStateBytes({{StateFile}}.ReadFile(path), path);

            /// <summary>The fitted processor whose processor.arc bytes are <paramref name="bytes"/>; <paramref name="file"/> names them in errors.</summary>
            {{GeneratedFile.Attributes}}
            public static {{type}} FromStateBytes(global::System.ReadOnlyMemory<byte> bytes, string file)
            {
                var (parameters, state) = {{StateFile}}.Read(bytes, file, ProcessorName);
                var processor = Create({{StateFile}}.ReadParameters(parameters, ParametersFormatter.Instance, file, ProcessorName));
                processor.RestoreState(state, file);
                return processor;
            }
            """);

        GeneratedFile.Close(writer, depth);
        return writer.ToString();
    }
}
