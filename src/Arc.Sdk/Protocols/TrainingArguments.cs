using System.Buffers;
using System.Globalization;
using MessagePack;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// The string arguments of a generated training module (seed 004's <c>*args</c>): <c>--job &lt;name&gt;</c>,
/// <c>--epochs</c>, <c>--batch-size</c>, <c>--seed</c>, <c>--time-budget &lt;seconds&gt;</c>, and every constructor
/// parameter of the model and the job as <c>--kebab-case-name value</c> (<c>--model-…</c>/<c>--job-…</c> when both have
/// it). <c>--name=value</c> works too; a bare <c>--flag</c> means true.
/// </summary>
internal sealed class TrainingArguments
{
    private static readonly string[] Standard = ["job", "epochs", "batchsize", "seed", "timebudget"];

    private TrainingArguments(Dictionary<string, (string Option, string Value)> values) => Values = values;

    /// <summary>Normalized name (lower case, no '-' or '_') → the option as written and its value.</summary>
    private Dictionary<string, (string Option, string Value)> Values { get; }

    public string? Job => Get("job");
    public int Epochs => Int("epochs", 1, 1);
    public int BatchSize => Int("batchsize", 64, 1);
    public int Seed => Int("seed", 0, int.MinValue);
    public TimeSpan? Budget => Get("timebudget") is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"--time-budget '{text}' is not a positive number of seconds")
        : null;

    public static TrainingArguments Parse(IReadOnlyList<string> arguments)
    {
        var values = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        for (int i = 0; i < arguments.Count; i++)
        {
            string argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
                throw new ArgumentException($"unexpected argument '{argument}': training arguments are '--name value' pairs");
            string option = argument, value;
            int equals = argument.IndexOf('=');
            if (equals > 0)
                (option, value) = (argument[..equals], argument[(equals + 1)..]);
            else if (i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal))
                value = arguments[++i];
            else
                value = "true";
            if (!values.TryAdd(Normalize(option), (option, value)))
                throw new ArgumentException($"{option} is given twice");
        }
        return new TrainingArguments(values);
    }

    /// <summary>
    /// The model's and the job's (hyper)parameters in their wire form: each default, replaced where an argument names it.
    /// </summary>
    /// <exception cref="ArgumentException">An argument names nothing, names both (without a prefix), or has a value of the wrong type.</exception>
    public (byte[] Model, byte[] Job) Bind(ClassRegistration model, ClassRegistration job)
    {
        var modelDefaults = WireMap.Read(model.DefaultParametersWire);
        var jobDefaults = WireMap.Read(job.DefaultParametersWire);
        var modelValues = new Dictionary<string, (string Option, string Value)>(StringComparer.Ordinal);
        var jobValues = new Dictionary<string, (string Option, string Value)>(StringComparer.Ordinal);
        foreach (var (name, given) in Values)
        {
            if (Standard.Contains(name)) continue;
            string? inModel = modelDefaults.Find(name), inJob = jobDefaults.Find(name);
            string? prefixedModel = name.StartsWith("model", StringComparison.Ordinal) ? modelDefaults.Find(name[5..]) : null;
            string? prefixedJob = name.StartsWith("job", StringComparison.Ordinal) ? jobDefaults.Find(name[3..]) : null;
            if (inModel is not null && inJob is not null)
                throw new ArgumentException($"{given.Option} is a parameter of both model '{model.Name}' and job '{job.Name}': write --model-{Kebab(inModel)} or --job-{Kebab(inJob)}");
            if ((inModel ?? prefixedModel) is { } m) modelValues[m] = given;
            else if ((inJob ?? prefixedJob) is { } j) jobValues[j] = given;
            else
                throw new ArgumentException(
                    $"unknown training argument {given.Option}: model '{model.Name}' takes {Options(modelDefaults)}; job '{job.Name}' takes {Options(jobDefaults)}; " +
                    "and every run takes --job, --epochs, --batch-size, --seed, --time-budget");
        }
        return (modelDefaults.With(modelValues), jobDefaults.With(jobValues));
    }

    private static string Options(WireMap map) => map.Keys.Count == 0 ? "no parameters" : string.Join(", ", map.Keys.Select(k => "--" + Kebab(k)));

    private string? Get(string name) => Values.TryGetValue(name, out var v) ? v.Value : null;

    private int Int(string name, int fallback, int minimum)
    {
        if (!Values.TryGetValue(name, out var given)) return fallback;
        return int.TryParse(given.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum
            ? value
            : throw new ArgumentException($"{given.Option} '{given.Value}' is not an integer" + (minimum > int.MinValue ? $" of at least {minimum}" : ""));
    }

    internal static string Normalize(string option) => option.TrimStart('-').Replace("-", "").Replace("_", "").ToLowerInvariant();

    internal static string Kebab(string name)
    {
        var text = new System.Text.StringBuilder();
        foreach (char c in name)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    /// <summary>A parameter record's wire form (a MessagePack map) as raw values, to replace some from strings.</summary>
    private sealed class WireMap
    {
        private readonly List<(string Key, byte[] Raw, MessagePackType Type)> _entries;

        private WireMap(List<(string, byte[], MessagePackType)> entries) => _entries = entries;

        public IReadOnlyList<string> Keys => _entries.Select(e => e.Key).ToList();

        public static WireMap Read(byte[] wire)
        {
            var entries = new List<(string, byte[], MessagePackType)>();
            var reader = new MessagePackReader(new ReadOnlySequence<byte>(wire));
            int count = reader.ReadMapHeader();
            for (int i = 0; i < count; i++)
            {
                string key = reader.ReadString() ?? "";
                var type = reader.NextMessagePackType;
                var start = reader.Position;
                reader.Skip();
                entries.Add((key, reader.Sequence.Slice(start, reader.Position).ToArray(), type));
            }
            return new WireMap(entries);
        }

        public string? Find(string normalized) => _entries.Select(e => e.Key).FirstOrDefault(k => Normalize(k) == normalized);

        public byte[] With(IReadOnlyDictionary<string, (string Option, string Value)> values)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            writer.WriteMapHeader(_entries.Count);
            foreach (var (key, raw, type) in _entries)
            {
                writer.Write(key);
                if (values.TryGetValue(key, out var given)) WriteValue(ref writer, type, given.Option, given.Value);
                else writer.WriteRaw(raw);
            }
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }

        /// <summary>Writes <paramref name="text"/> as the default's type; a null default takes a number, a boolean or else a string.</summary>
        private static void WriteValue(ref MessagePackWriter writer, MessagePackType type, string option, string text)
        {
            var c = CultureInfo.InvariantCulture;
            switch (type)
            {
                case MessagePackType.Integer when long.TryParse(text, NumberStyles.Integer, c, out long l): writer.Write(l); return;
                case MessagePackType.Float when double.TryParse(text, NumberStyles.Float, c, out double d): writer.Write(d); return;
                case MessagePackType.Boolean when bool.TryParse(text, out bool b): writer.Write(b); return;
                case MessagePackType.String: writer.Write(text); return;
                case MessagePackType.Nil:
                    if (long.TryParse(text, NumberStyles.Integer, c, out long nl)) writer.Write(nl);
                    else if (double.TryParse(text, NumberStyles.Float, c, out double nd)) writer.Write(nd);
                    else if (bool.TryParse(text, out bool nb)) writer.Write(nb);
                    else writer.Write(text);
                    return;
                case MessagePackType.Array or MessagePackType.Map:
                    try
                    {
                        writer.WriteRaw(MessagePackSerializer.ConvertFromJson(text));
                        return;
                    }
                    catch (Exception e) when (e is MessagePackSerializationException or FormatException or InvalidOperationException)
                    {
                        throw new ArgumentException($"{option} '{text}' is not JSON ({e.Message})");
                    }
            }
            string expected = type switch
            {
                MessagePackType.Integer => "an integer",
                MessagePackType.Float => "a number",
                MessagePackType.Boolean => "true or false",
                _ => type.ToString(),
            };
            throw new ArgumentException($"{option} '{text}' is not {expected}");
        }
    }
}

/// <summary>Turns a (hyper)parameter record's wire form that the class refused into an argument error.</summary>
internal static class WireBinding
{
    public static object Create(ClassRegistration registration, byte[] wire)
    {
        try
        {
            return registration.CreateFromWire(wire);
        }
        catch (ArcFormatException e)
        {
            throw new ArgumentException($"the arguments for {registration.Kind.Word()} '{registration.Name}' do not fit its parameters: {e.Message}", e);
        }
    }
}
