using Arc.Generators.Tests.Infrastructure;
using MessagePack;
using MessagePack.Formatters;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Generators.Tests.Runtime;

/// <summary>The registry and registrations, driven by hand-written registrations (no generator involved).</summary>
[Collection(RegistryCollection.Name)]
public sealed class ArcRegistryTests
{
    private sealed record Settings(int Size = 3);

    private sealed class SettingsFormatter : IMessagePackFormatter<Settings>
    {
        public void Serialize(ref MessagePackWriter writer, Settings value, MessagePackSerializerOptions options)
        {
            writer.WriteMapHeader(1);
            writer.Write("size");
            writer.Write(value.Size);
        }

        public Settings Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            int size = 3;
            int entries = WireReading.ReadMapHeader(ref reader, "settings");
            for (int i = 0; i < entries; i++)
            {
                string key = WireReading.ReadKey(ref reader, "settings");
                if (key == "size") size = WireCodecs.Int32.Read(ref reader, "size");
                else WireReading.Skip(ref reader, key);
            }
            return new Settings(size);
        }
    }

    private sealed class TinyModel(int size) : SupervisedModel<ImageData, ClassData>
    {
        public int Size { get; } = size;
        public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);
        public override ClassData Predict(ImageData x) => throw new NotSupportedException();
        public override void SaveWeights(Stream destination) { }
        public override void LoadWeights(Stream source) { }
    }

    private sealed class OtherModel : SupervisedModel<ImageData, ClassData>
    {
        public override FitResult Fit(ImageData x, ClassData y) => new(0, x.Count);
        public override ClassData Predict(ImageData x) => throw new NotSupportedException();
        public override void SaveWeights(Stream destination) { }
        public override void LoadWeights(Stream source) { }
    }

    private static ModelRegistration<TModel, Settings, ImageData, ClassData> Registration<TModel>(string name, Func<Settings, TModel> factory)
        where TModel : SupervisedModel<ImageData, ClassData>
        => new(name, factory, new SettingsFormatter(), new Settings());

    [Fact]
    public void RegisteredModelsAreFoundByNameAndCreatedTyped()
    {
        var registration = Registration("registry-test-tiny", s => new TinyModel(s.Size));
        ArcRegistry.Register(registration);
        try
        {
            Assert.Same(registration, ArcRegistry.FindModel("registry-test-tiny"));
            Assert.Same(registration, ArcRegistry.GetModel("registry-test-tiny"));
            Assert.Null(ArcRegistry.FindModel("Registry-Test-Tiny")); // names are ordinal
            Assert.Equal(7, registration.Create(new Settings(7)).Size);
            Assert.Equal(3, ((TinyModel)registration.CreateFromWire(registration.DefaultParametersWire)).Size);
            Assert.Equal(9, registration.ReadParameters(registration.WriteParameters(new Settings(9))).Size);
            ArcRegistry.Register(registration); // the same registration again is a no-op
            Assert.Single(ArcRegistry.Models, m => m.Name == "registry-test-tiny");
        }
        finally
        {
            Assert.Equal(1, ArcRegistry.Unregister(typeof(TinyModel).Assembly));
        }
        Assert.Null(ArcRegistry.FindModel("registry-test-tiny"));
    }

    [Fact]
    public void ADuplicateNameIsAClearError()
    {
        ArcRegistry.Register(Registration("registry-test-dup", s => new TinyModel(s.Size)));
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => ArcRegistry.Register(Registration("registry-test-dup", _ => new OtherModel())));
            Assert.Contains("model named 'registry-test-dup' is already registered by " + typeof(TinyModel).FullName, error.Message);
            Assert.Contains(typeof(OtherModel).FullName!, error.Message);
            Assert.Contains("[Model(Name = \"...\")]", error.Message);
        }
        finally
        {
            ArcRegistry.Unregister(typeof(TinyModel).Assembly);
        }
    }

    [Fact]
    public void AMissingNameListsWhatExists()
    {
        ArcRegistry.Register(Registration("registry-test-listed", s => new TinyModel(s.Size)));
        try
        {
            var error = Assert.Throws<KeyNotFoundException>(() => ArcRegistry.GetModel("registry-test-absent"));
            Assert.Contains("No model named 'registry-test-absent'", error.Message);
            Assert.Contains("registry-test-listed", error.Message);
        }
        finally
        {
            ArcRegistry.Unregister(typeof(TinyModel).Assembly);
        }
    }

    [Fact]
    public void ConcurrentRegistrationsAreAllKept()
    {
        var registrations = Enumerable.Range(0, 64).Select(i => Registration($"registry-test-concurrent-{i}", s => new TinyModel(s.Size))).ToArray();
        try
        {
            Parallel.ForEach(registrations, ArcRegistry.Register);
            Assert.Equal(64, ArcRegistry.Models.Count(m => m.Name.StartsWith("registry-test-concurrent-", StringComparison.Ordinal)));
            var names = ArcRegistry.Models.Select(m => m.Name).ToList();
            Assert.Equal(names.Order(StringComparer.Ordinal), names);
        }
        finally
        {
            ArcRegistry.Unregister(typeof(TinyModel).Assembly);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData("ünicode")]
    public void InvalidNamesAreRejected(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Registration(name, s => new TinyModel(s.Size)));
        Assert.Contains("is not a valid model name", error.Message);
    }

    [Fact]
    public async Task PodRegistrationsInvokeFromWire()
    {
        var pod = new PodRegistration<Settings, int>(
            "registry-test.double",
            typeof(ArcRegistryTests),
            "Double",
            [new PodParameter("size", typeof(int))],
            typeof(int),
            new SettingsFormatter(),
            WireCodecs.Int32,
            static (arguments, _) => new ValueTask<int>(arguments.Size * 2));
        ArcRegistry.Register(pod);
        try
        {
            var found = ArcRegistry.GetPod("registry-test.double");
            byte[] result = await found.InvokeFromWireAsync(Wire.Map(("size", (ref MessagePackWriter w) => w.Write(21))), TestContext.Current.CancellationToken);
            Assert.Equal(42, pod.ReadResult(result));
            Assert.Contains("registry-test.double", found.ToString());
            var duplicate = Assert.Throws<InvalidOperationException>(() => ArcRegistry.Register(new PodRegistration<Settings, int>(
                "registry-test.double", typeof(string), "Other", [], typeof(int), new SettingsFormatter(), WireCodecs.Int32, static (_, _) => default)));
            Assert.Contains("System.String.Other cannot use the same name", duplicate.Message);
        }
        finally
        {
            Assert.Equal(1, ArcRegistry.Unregister(typeof(ArcRegistryTests).Assembly));
        }
    }
}
