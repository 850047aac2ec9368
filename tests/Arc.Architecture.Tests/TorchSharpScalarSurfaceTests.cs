using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Arc.Architecture.Tests;

/// <summary>
/// docs/torchsharp-scalars.md lists the public TorchSharp methods that turn a number into a <c>Scalar</c> implicitly
/// inside TorchSharp, where no user code can keep it alive (the hazard src/Arc.Torch/TorchGcSafety.cs describes). The
/// list is TorchSharp's own IL, read here: a method is on it when it, a lambda of it, or any TorchSharp method it calls
/// (transitively) makes such a Scalar. So the document stays true when TorchSharp changes, and an upgrade shows where
/// its Scalars are made; whether the new version keeps them alive (upstream PR 1496) is for a reader of its code.
/// </summary>
public sealed partial class TorchSharpScalarSurfaceTests
{
    private const string Document = "docs/torchsharp-scalars.md";
    private const string MadeInsideSection = "## Where TorchSharp makes them itself";

    [Fact]
    public void The_documented_list_is_what_TorchSharps_IL_says()
    {
        var found = PublicMethodsMakingImplicitScalars(typeof(TorchSharp.Scalar).Assembly);
        var documented = DocumentedList(MadeInsideSection);
        string expected = string.Join('\n', found.Select(entry => $"- `{entry.Key}`: {string.Join(", ", entry.Value)}"));
        Assert.True(documented.Count == found.Count && found.All(entry => documented.TryGetValue(entry.Key, out var names) && names.SequenceEqual(entry.Value)),
            $"{Document} does not list what TorchSharp {typeof(TorchSharp.Scalar).Assembly.GetName().Version}'s IL says; its list should read:\n{expected}");
    }

    [Fact]
    public void The_scan_finds_the_optimizers_steps_and_a_transitive_caller()
    {
        var found = PublicMethodsMakingImplicitScalars(typeof(TorchSharp.Scalar).Assembly);
        // Adam.step makes its Scalars in a lambda (<step>b__2_0), so the lambda must count for step.
        Assert.Contains("step", found["TorchSharp.Modules.Adam"]);
        Assert.Contains("step", found["TorchSharp.Modules.SGD"]);
        // LeakyReLU.forward makes none itself: it calls functional.leaky_relu, which does.
        Assert.Contains("forward", found["TorchSharp.Modules.LeakyReLU"]);
        Assert.DoesNotContain("TorchSharp.Modules.Linear", found.Keys);
    }

    /// <summary>Public type (nested names joined by '.') → its public methods that make an implicit Scalar, sorted.</summary>
    private static SortedDictionary<string, string[]> PublicMethodsMakingImplicitScalars(Assembly torchSharp)
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        Type[] types;
        try { types = torchSharp.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }
        var callees = types.SelectMany(t => IlCalls.MethodsOf(t, all)).ToDictionary(m => m, m => IlCalls.Callees(m).ToArray());

        var making = new HashSet<MethodBase>(callees.Where(c => c.Value.Any(IlCalls.MakesScalarFromNumber)).Select(c => c.Key));
        var callers = callees.SelectMany(c => c.Value.Select(callee => (Callee: Definition(callee), Caller: c.Key)))
            .ToLookup(pair => pair.Callee, pair => pair.Caller);
        var pending = new Queue<MethodBase>(making);
        while (pending.TryDequeue(out var method))
            foreach (var caller in callers[method])
                if (making.Add(caller)) pending.Enqueue(caller);

        return new SortedDictionary<string, string[]>(making
            .Select(m => (Type: Owner(m.DeclaringType!), Name: VisibleName(m)))
            .Where(m => m.Type.IsVisible && m.Name is not null && IsPublic(m.Type, m.Name))
            .GroupBy(m => DisplayName(m.Type))
            .ToDictionary(g => g.Key, g => g.Select(m => m.Name!).Distinct().Order(StringComparer.Ordinal).ToArray()), StringComparer.Ordinal);
    }

    /// <summary>A generic method's definition, so that calls to its instantiations meet the method the IL scan read.</summary>
    private static MethodBase Definition(MethodBase method) => method is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericMethodDefinition() : method;

    /// <summary>"TorchSharp.torch.jit.ScriptModule&lt;TResult&gt;": nested names joined by '.', type parameters by name.</summary>
    private static string DisplayName(Type type)
    {
        string name = Arity().Replace(type.FullName!.Replace('+', '.'), "");
        return type.IsGenericTypeDefinition ? $"{name}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>" : name;
    }

    /// <summary>The type a compiler-generated closure class belongs to.</summary>
    private static Type Owner(Type type)
    {
        while (type.IsNested && type.Name.Contains('<', StringComparison.Ordinal)) type = type.DeclaringType!;
        return type;
    }

    /// <summary>The method a lambda (<c>&lt;step&gt;b__2_0</c>) is written in, or the method's own name.</summary>
    private static string? VisibleName(MethodBase method)
    {
        var lambda = LambdaName().Match(method.Name);
        string name = lambda.Success ? lambda.Groups[1].Value : method.Name;
        return name.Length == 0 ? null : name;
    }

    private static bool IsPublic(Type type, string name)
        => type.GetMember(name, BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public).Length > 0;

    /// <summary>The list in the document's section <paramref name="heading"/>: lines "- `Type`: method, method".</summary>
    private static Dictionary<string, string[]> DocumentedList(string heading)
        => File.ReadLines(Path.Combine(AssemblyGraph.RepositoryRoot(), Document))
            .SkipWhile(line => line != heading)
            .Skip(1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Select(line => ListLine().Match(line))
            .Where(match => match.Success)
            .ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value.Split(", "), StringComparer.Ordinal);

    [GeneratedRegex(@"`\d+")]
    private static partial Regex Arity();

    [GeneratedRegex(@"^<([^>]*)>")]
    private static partial Regex LambdaName();

    [GeneratedRegex(@"^- `([^`]+)`: (.+)$")]
    private static partial Regex ListLine();
}
