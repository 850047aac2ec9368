namespace Arc.CommandLine;

/// <summary>
/// On a <c>[Job]</c> class: how a user gets the job's data, shown when <c>--dataset-dir</c> names a folder that does
/// not exist (e.g. "fetch it with scripts/fetch-mnist.sh &lt;folder&gt;").
/// </summary>
/// <param name="howToFetch">One or two sentences: the command or the place to download from.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class DatasetHintAttribute(string howToFetch) : Attribute
{
    /// <summary>How to get the data.</summary>
    public string HowToFetch { get; } = howToFetch;
}
