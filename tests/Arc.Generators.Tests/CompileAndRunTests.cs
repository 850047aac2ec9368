using Arc.Generators.Tests.Infrastructure;
using System.Reflection;
using MessagePack;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Generators;

/// <summary>
/// Compiles each golden input with its generated code into an in-memory assembly (no warnings allowed), loads it,
/// lets its module initializers register it, and drives it only through <see cref="ArcRegistry"/> and wire bytes.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CompileAndRunTests
{
    private static InMemoryAssembly LoadGolden(string @case, string? assemblyName = null)
    {
        string source = File.ReadAllText(Path.Combine(SourcePaths.GoldenDirectory, @case, "input.cs"));
        var outcome = GeneratorHarness.Run(source, assemblyName ?? "Golden" + @case);
        // Only the warnings the golden case lists (ARC0017, GoldenFileTests checks them), and a compilation without any.
        string expected = Path.Combine(SourcePaths.GoldenDirectory, @case, "diagnostics.txt");
        Assert.Equal(File.Exists(expected) ? File.ReadAllLines(expected).Where(l => l.Length > 0) : [], outcome.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(outcome.CompilationProblems.Select(d => d.ToString()));
        return InMemoryAssembly.Load(outcome.Output);
    }

    [Fact]
    public void ModelRegistersItsNameAndTypes()
    {
        using var loaded = LoadGolden("ConvClassifier");
        var registration = ArcRegistry.GetModel("convclassifier");

        Assert.Same(loaded.Assembly, registration.Type.Assembly);
        Assert.Equal("Samples.ConvClassifier", registration.Type.FullName);
        Assert.Equal(typeof(ImageData), registration.InputType);
        Assert.Equal(typeof(ClassData), registration.OutputType);
        Assert.Equal("Hyperparameters", registration.ParametersType.Name);
        Assert.Equal(registration.Type, registration.ParametersType.DeclaringType);
        Assert.Contains(registration, ArcRegistry.Models);
    }

    [Fact]
    public void DefaultHyperparametersAreTheConstructorDefaultsOnTheWire()
    {
        using var loaded = LoadGolden("ConvClassifier");
        var registration = ArcRegistry.GetModel("convclassifier");

        var map = Wire.ReadMap(registration.DefaultParametersWire);
        Assert.Equal(new Dictionary<string, string> { ["hidden"] = "128", ["learningRate"] = "0.001" }, map);
        Assert.Equal("hidden=128 learningRate=0.001", registration.CreateFromWire(registration.DefaultParametersWire).ToString());
    }

    [Fact]
    public void FactoryPassesHyperparametersFromTheWireToTheConstructor()
    {
        using var loaded = LoadGolden("ConvClassifier");
        var registration = ArcRegistry.GetModel("convclassifier");

        // Keys in any order, an unknown key with a nested value skipped, an integer accepted for a double.
        byte[] wire = Wire.Map(
            ("learningRate", (ref MessagePackWriter w) => w.Write(2)),
            ("comment", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write(1); w.WriteMapHeader(1); w.Write("deep"); w.WriteNil(); }),
            ("hidden", (ref MessagePackWriter w) => w.Write(64)));
        var model = registration.CreateFromWire(wire);

        Assert.Equal("Samples.ConvClassifier", model.GetType().FullName);
        Assert.Equal("hidden=64 learningRate=2", model.ToString());
        Assert.Equal("convclassifier", ((ISupervisedModel<ImageData, ClassData>)model).Name);
        Assert.Equal("hidden=128 learningRate=0.001", registration.CreateFromWire(Wire.Map()).ToString());
    }

    [Fact]
    public void MalformedHyperparametersFailWithTheKeyAndTheModel()
    {
        using var loaded = LoadGolden("ConvClassifier");
        var registration = ArcRegistry.GetModel("convclassifier");

        var wrongType = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(Wire.Map(("hidden", (ref MessagePackWriter w) => w.Write("big")))));
        Assert.Contains("model 'convclassifier'", wrongType.Message);
        Assert.Contains("hidden: expected an integer (Int32) but found a string", wrongType.Message);

        var overflow = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(Wire.Map(("hidden", (ref MessagePackWriter w) => w.Write(long.MaxValue)))));
        Assert.Contains($"hidden: {long.MaxValue} is outside {int.MinValue}..{int.MaxValue}", overflow.Message);

        var notAMap = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(Wire.Write((ref MessagePackWriter w) => w.Write(5))));
        Assert.Contains("expected a map but found an integer", notAMap.Message);

        byte[] valid = registration.DefaultParametersWire;
        var truncated = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(valid.AsMemory(0, valid.Length - 3)));
        Assert.Contains("truncated", truncated.Message);

        var trailing = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(valid.Append((byte)0xc0).ToArray()));
        Assert.Contains("1 unexpected bytes follow the value", trailing.Message);

        // A map header claiming two billion entries in a few bytes must fail before anything is allocated for it.
        var forged = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(new byte[] { 0xdf, 0x7f, 0xff, 0xff, 0xff, 0xa1, 0x61 }));
        Assert.Contains("model 'convclassifier'", forged.Message);
        Assert.Contains("the map header claims 2147483647 entries but only 2 bytes remain", forged.Message);
    }

    [Fact]
    public void EverySupportedTypeRoundTripsAndDefaultsMatchTheConstructor()
    {
        using var loaded = LoadGolden("AllTypes");
        var registration = ArcRegistry.GetModel("all-types");

        // Missing keys must give exactly what the constructor's own defaults give (NaN, -0.0, long.MinValue, flags...).
        // Type.Missing makes reflection use each parameter's default from metadata, as a C# call without arguments would.
        var constructor = Assert.Single(registration.Type.GetConstructors());
        string constructorDefaults = constructor.Invoke(constructor.GetParameters().Select(_ => Type.Missing).ToArray()).ToString()!;
        Assert.Equal(constructorDefaults, registration.CreateFromWire(Wire.Map()).ToString());
        Assert.Equal(constructorDefaults, registration.CreateFromWire(registration.DefaultParametersWire).ToString());
        Assert.StartsWith("True;-8;200;-300;60000;-1;4000000000;-9223372036854775808;18446744073709551615;0.25;1E-05;NaN;-Infinity;Infinity;12.50;", constructorDefaults);

        byte[] wire = Wire.Map(
            ("flag", (ref MessagePackWriter w) => w.Write(false)),
            ("tiny", (ref MessagePackWriter w) => w.Write(-100)),
            ("small", (ref MessagePackWriter w) => w.Write(7)),
            ("medium", (ref MessagePackWriter w) => w.Write(1234)),
            ("unsignedMedium", (ref MessagePackWriter w) => w.Write(1)),
            ("count", (ref MessagePackWriter w) => w.Write(42)),
            ("unsignedCount", (ref MessagePackWriter w) => w.Write(5)),
            ("big", (ref MessagePackWriter w) => w.Write(long.MaxValue)),
            ("huge", (ref MessagePackWriter w) => w.Write(12UL)),
            ("ratio", (ref MessagePackWriter w) => w.Write(1.5f)),
            ("rate", (ref MessagePackWriter w) => w.Write(3)),
            ("notANumber", (ref MessagePackWriter w) => w.Write(1.0)),
            ("negativeZero", (ref MessagePackWriter w) => w.Write(-1.0)),
            ("infinity", (ref MessagePackWriter w) => w.Write(2.5)),
            ("price", (ref MessagePackWriter w) => w.Write("3.14")),
            ("name", (ref MessagePackWriter w) => w.Write("x")),
            ("optionalName", (ref MessagePackWriter w) => w.Write("y")),
            ("optimizer", (ref MessagePackWriter w) => w.Write("Sgd")),
            ("undefinedOptimizer", (ref MessagePackWriter w) => w.Write("Adam")),
            ("augment", (ref MessagePackWriter w) => w.Write("Flip")),
            ("maybeOptimizer", (ref MessagePackWriter w) => w.Write("Adam")),
            ("maybeCount", (ref MessagePackWriter w) => w.WriteNil()),
            ("sizes", (ref MessagePackWriter w) => { w.WriteArrayHeader(3); w.Write(1); w.Write(2); w.Write(3); }),
            ("tags", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write("a"); w.Write("b"); }),
            ("holes", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write("p"); w.WriteNil(); }),
            ("jagged", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.WriteArrayHeader(1); w.Write(1); w.WriteArrayHeader(2); w.Write(2); w.Write(3); }),
            ("initialBatch", (ref MessagePackWriter w) => w.WriteNil()),
            ("zero", (ref MessagePackWriter w) => w.Write(7)),
            ("keyword", (ref MessagePackWriter w) => w.Write("A")));
        const string expected = "False;-100;7;1234;1;42;5;9223372036854775807;12;1.5;3;1;-1;2.5;3.14;x;y;Sgd;Adam;Flip;Adam;;1,2,3;a,b;p,<null>;1|2,3;<null>;7;A";
        Assert.Equal(expected, registration.CreateFromWire(wire).ToString());

        // Through the typed registration: read the record, write it back, and the bytes describe the same model.
        object record = Invoke(registration, "ReadParameters", (ReadOnlyMemory<byte>)wire);
        byte[] rewritten = (byte[])Invoke(registration, "WriteParameters", record);
        Assert.Equal(expected, registration.CreateFromWire(rewritten).ToString());
        var map = Wire.ReadMap(rewritten);
        Assert.Equal("\"3.14\"", map["price"]);
        Assert.Equal("\"Sgd\"", map["optimizer"]);
        Assert.Equal("[\"p\",nil]", map["holes"]);
        Assert.Equal("[[1],[2,3]]", map["jagged"]);
        Assert.Equal(29, map.Count);
    }

    [Fact]
    public void EnumsTravelByNameAndUnknownNamesAreRejected()
    {
        using var loaded = LoadGolden("AllTypes");
        var registration = ArcRegistry.GetModel("all-types");

        var defaults = Wire.ReadMap(registration.DefaultParametersWire);
        Assert.Equal("\"Adam\"", defaults["optimizer"]);
        Assert.Equal("\"Flip, Crop\"", defaults["augment"]);
        Assert.Equal("\"7\"", defaults["undefinedOptimizer"]);
        Assert.Equal("nil", defaults["sizes"]);

        var error = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(Wire.Map(("optimizer", (ref MessagePackWriter w) => w.Write("Rmsprop")))));
        Assert.Contains("optimizer: expected one of Sgd, Adam but found 'Rmsprop'", error.Message);

        var element = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(Wire.Map(("sizes", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write(1); w.Write("two"); }))));
        Assert.Contains("sizes[1]: expected an integer (Int32) but found a string", element.Message);

        var nilForNonNull = Assert.Throws<ArcFormatException>(() => registration.CreateFromWire(Wire.Map(("name", (ref MessagePackWriter w) => w.WriteNil()))));
        Assert.Contains("name: expected a string but found nil", nilForNonNull.Message);
    }

    [Fact]
    public void JobRegistersAndIsCreatedFromItsParameters()
    {
        using var loaded = LoadGolden("Job");
        var registration = ArcRegistry.GetJob("classifydigits");

        Assert.Equal("Samples.Jobs.ClassifyDigits", registration.Type.FullName);
        Assert.Equal("Parameters", registration.ParametersType.Name);
        Assert.Equal(typeof(ImageData), registration.InputType);
        Assert.Equal(typeof(ClassData), registration.OutputType);
        Assert.Equal(new Dictionary<string, string> { ["dataRoot"] = "\"data/mnist\"", ["limit"] = "0" }, Wire.ReadMap(registration.DefaultParametersWire));

        var job = registration.CreateFromWire(Wire.Map(("limit", (ref MessagePackWriter w) => w.Write(5))));
        Assert.Equal("dataRoot=data/mnist limit=5", job.ToString());
        Assert.Equal("classifydigits", ((ISupervisedJob<ImageData, ClassData>)job).Name);
        Assert.Null(ArcRegistry.FindModel("classifydigits"));
    }

    [Fact]
    public void NestedAndDerivedModelsRegisterUnderTheirNames()
    {
        using var loaded = LoadGolden("Nested");

        var baseModel = ArcRegistry.GetModel("zoo.base");
        var derived = ArcRegistry.GetModel("derivedmodel");
        Assert.Equal("Zoo+BaseModel", baseModel.Type.FullName);
        Assert.Equal("Zoo+DerivedModel", derived.Type.FullName);

        var model = derived.CreateFromWire(Wire.Map(("depth", (ref MessagePackWriter w) => w.Write(5))));
        Assert.Equal(derived.Type, model.GetType());
        Assert.Equal(5, (int)derived.Type.GetProperty("Depth")!.GetValue(model)!);
        Assert.Equal("custom", ((ISupervisedModel<ImageData, ClassData>)model).Name); // the user's own Name wins
        Assert.Equal(new Dictionary<string, string> { ["depth"] = "2" }, Wire.ReadMap(derived.DefaultParametersWire));
        Assert.Empty(Wire.ReadMap(baseModel.DefaultParametersWire));
    }

    [Fact]
    public void PodsAreInvokedFromWireArguments()
    {
        using var loaded = LoadGolden("Pods");

        var add = ArcRegistry.GetPod("Maths.Add");
        Assert.Equal([new PodParameter("a", typeof(int)), new PodParameter("b", typeof(int))], add.Parameters);
        Assert.Equal(typeof(int), add.ReturnType);
        Assert.Equal("Add", add.MethodName);
        Assert.Equal(12, Wire.Read(Invoke(add, Wire.Map(("a", (ref MessagePackWriter w) => w.Write(2)))), (ref MessagePackReader r) => r.ReadInt32()));
        Assert.Equal(5, Wire.Read(Invoke(add, Wire.Map(("b", (ref MessagePackWriter w) => w.Write(3)), ("a", (ref MessagePackWriter w) => w.Write(2)))), (ref MessagePackReader r) => r.ReadInt32()));

        var scale = ArcRegistry.GetPod("maths.scale");
        Assert.Equal(["values", "factor"], scale.Parameters.Select(p => p.Name));
        Assert.Equal(typeof(double[]), scale.ReturnType);
        byte[] scaled = Invoke(scale, Wire.Map(
            ("values", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write(1.0); w.Write(2.5); }),
            ("factor", (ref MessagePackWriter w) => w.Write(4.0))));
        Assert.Equal("[4,10]", Wire.Read(scaled, (ref MessagePackReader r) => Wire.Describe(ref r)));

        var describe = ArcRegistry.GetPod("Maths.Describe");
        byte[] joined = Invoke(describe, Wire.Map(
            ("words", (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write("a"); w.Write("b"); }),
            ("separator", (ref MessagePackWriter w) => w.Write("-"))));
        Assert.Equal("a-b", Wire.Read(joined, (ref MessagePackReader r) => r.ReadString()));
        byte[] nothing = Invoke(describe, Wire.Map(("words", (ref MessagePackWriter w) => w.WriteArrayHeader(0))));
        Assert.Equal("nil", Wire.Read(nothing, (ref MessagePackReader r) => Wire.Describe(ref r)));
    }

    [Fact]
    public void PodsThatReturnNothingSendNilAndRunTheirSideEffects()
    {
        using var loaded = LoadGolden("Pods");

        var touch = ArcRegistry.GetPod("Maths.Touch");
        Assert.Equal(typeof(void), touch.ReturnType);
        Assert.Empty(touch.Parameters);
        var touches = touch.Type.GetField("Touches")!;
        int before = (int)touches.GetValue(null)!;
        Assert.Equal("nil", Wire.Read(Invoke(touch, Wire.Map()), (ref MessagePackReader r) => Wire.Describe(ref r)));
        Assert.Equal(before + 1, (int)touches.GetValue(null)!);

        var wait = ArcRegistry.GetPod("Maths.WaitAsync");
        Assert.Equal(typeof(void), wait.ReturnType);
        Assert.Equal("nil", Wire.Read(Invoke(wait, Wire.Map(("milliseconds", (ref MessagePackWriter w) => w.Write(1)))), (ref MessagePackReader r) => Wire.Describe(ref r)));
    }

    [Fact]
    public async Task PodsReceiveTheCallersCancellationToken()
    {
        using var loaded = LoadGolden("Pods");
        var scale = ArcRegistry.GetPod("maths.scale");
        byte[] arguments = Wire.Map(("values", (ref MessagePackWriter w) => w.WriteArrayHeader(0)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scale.InvokeFromWireAsync(arguments, new CancellationToken(canceled: true)).AsTask());
        var wait = ArcRegistry.GetPod("Maths.WaitAsync");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            wait.InvokeFromWireAsync(Wire.Map(("milliseconds", (ref MessagePackWriter w) => w.Write(60_000))), new CancellationToken(canceled: true)).AsTask());
    }

    [Fact]
    public async Task RemoteFormsRunThePodsThroughALoopbackWorker()
    {
        using var loaded = LoadGolden("Pods");
        var ct = TestContext.Current.CancellationToken;
        var maths = loaded.Assembly.GetType("Samples.Functions.Maths")!;
        const BindingFlags statics = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        var scale = ArcRegistry.GetPod("maths.scale");
        // The remote form sends the very registration the module initializer registered.
        Assert.Same(scale, maths.GetField("ScaleAsyncPod", statics)!.GetValue(null));
        await using var worker = await Target.LoopbackWorker.DeployPodsAsync(
            [scale, ArcRegistry.GetPod("Maths.Add"), ArcRegistry.GetPod("Maths.Describe"), ArcRegistry.GetPod("Maths.Touch")], ct);

        var scaleRemote = maths.GetMethod("ScaleRemoteAsync", statics)!;
        Assert.True(scaleRemote.IsPublic);
        Assert.Equal(["worker", "values", "factor", "cancellationToken"], scaleRemote.GetParameters().Select(p => p.Name));
        Assert.Equal(2.0, scaleRemote.GetParameters()[2].DefaultValue);
        Assert.Equal(new[] { 3.0, -6.0 }, await (Task<double[]>)scaleRemote.Invoke(null, [worker, new[] { 1.0, -2.0 }, 3.0, ct])!);

        var addRemote = maths.GetMethod("AddRemoteAsync", statics)!;
        Assert.Equal(10, addRemote.GetParameters()[2].DefaultValue);
        Assert.Equal(15, await (Task<int>)addRemote.Invoke(null, [worker, 5, Type.Missing, ct])!);

        var describeRemote = maths.GetMethod("DescribeRemoteAsync", statics)!;
        Assert.True(describeRemote.IsPrivate);
        Assert.Equal("a-b", await (Task<string?>)describeRemote.Invoke(null, [worker, new[] { "a", "b" }, "-", ct])!);
        Assert.Null(await (Task<string?>)describeRemote.Invoke(null, [worker, Array.Empty<string>(), null, ct])!);

        var touchRemote = maths.GetMethod("TouchRemoteAsync", statics)!;
        Assert.True(touchRemote.IsAssembly);
        var touches = maths.GetField("Touches")!;
        int before = (int)touches.GetValue(null)!;
        await (Task)touchRemote.Invoke(null, [worker, ct])!;
        Assert.Equal(before + 1, (int)touches.GetValue(null)!);
    }

    [Fact]
    public async Task MalformedPodArgumentsFailWithTheParameterName()
    {
        using var loaded = LoadGolden("Pods");
        var add = ArcRegistry.GetPod("Maths.Add");

        var missing = await Assert.ThrowsAsync<ArcFormatException>(() => add.InvokeFromWireAsync(Wire.Map(("b", (ref MessagePackWriter w) => w.Write(1))), TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("pod 'Maths.Add'", missing.Message);
        Assert.Contains("the required key 'a' is missing", missing.Message);

        var wrong = await Assert.ThrowsAsync<ArcFormatException>(() => add.InvokeFromWireAsync(Wire.Map(("a", (ref MessagePackWriter w) => w.Write(1.5))), TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("a: expected an integer (Int32) but found a float", wrong.Message);
    }

    [Fact]
    public void PodsCarryUserDefinedDataTypes()
    {
        using var loaded = LoadGolden("DataPods");

        var shift = ArcRegistry.GetPod("Geometry.Shift");
        Assert.Equal("Points", shift.ReturnType.Name);
        byte[] shifted = Invoke(shift, Wire.Map(("points", Points([1, 2], [3, 4])), ("dx", (ref MessagePackWriter w) => w.Write(10.0))));
        Assert.Equal("{\"arc\":\"points\",\"x\":[11,12],\"y\":[3,4]}", Wire.Read(shifted, (ref MessagePackReader r) => Wire.Describe(ref r)));
        byte[] none = Invoke(shift, Wire.Map(("points", (ref MessagePackWriter w) => w.WriteNil())));
        Assert.Equal("nil", Wire.Read(none, (ref MessagePackReader r) => Wire.Describe(ref r)));

        var centroids = ArcRegistry.GetPod("Geometry.Centroids");
        byte[] result = Invoke(centroids, Wire.Map(("batches", (ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            Points([0, 2], [0, 4])(ref w);
            Points([1], [1])(ref w);
        })));
        Assert.Equal("{\"arc\":\"points\",\"x\":[1,1],\"y\":[2,1]}", Wire.Read(result, (ref MessagePackReader r) => Wire.Describe(ref r)));

        var wrongTag = Assert.Throws<AggregateException>(() => shift.InvokeFromWireAsync(Wire.Map(("points", (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write("arc");
            w.Write("image");
        })), TestContext.Current.CancellationToken).AsTask().Wait(TestContext.Current.CancellationToken));
        var format = Assert.IsType<ArcFormatException>(wrongTag.InnerException);
        Assert.Contains("points: expected a 'points' map, got 'image'", format.Message);
    }

    [Fact]
    public void LoadingTheSameModelsTwiceFailsWithBothAssembliesNamed()
    {
        using var first = LoadGolden("ConvClassifier", "FirstCopy");
        var error = Assert.Throws<TypeInitializationException>(() => LoadGolden("ConvClassifier", "SecondCopy").Dispose());
        var duplicate = Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("model named 'convclassifier' is already registered", duplicate.Message);
        Assert.Contains("FirstCopy", duplicate.Message);
        Assert.Contains("SecondCopy", duplicate.Message);
        Assert.Same(first.Assembly, ArcRegistry.GetModel("convclassifier").Type.Assembly);
    }

    [Fact]
    public void UnloadingRemovesTheRegistrations()
    {
        var loaded = LoadGolden("Pods");
        Assert.NotNull(ArcRegistry.FindPod("Maths.Add"));
        loaded.Dispose();
        Assert.Null(ArcRegistry.FindPod("Maths.Add"));
        Assert.DoesNotContain(ArcRegistry.Pods, p => p.Type.Assembly == loaded.Assembly);
    }

    private static byte[] Invoke(PodRegistration pod, byte[] arguments) => pod.InvokeFromWireAsync(arguments, TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();

    private static object Invoke(object target, string method, object argument)
        => target.GetType().GetMethod(method)!.Invoke(target, [argument])!;

    private static Wire.Build Points(double[] xs, double[] ys) => (ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(3);
        w.Write("arc");
        w.Write("points");
        w.Write("x");
        w.WriteArrayHeader(xs.Length);
        foreach (var x in xs) w.Write(x);
        w.Write("y");
        w.WriteArrayHeader(ys.Length);
        foreach (var y in ys) w.Write(y);
    };
}
