namespace Arc.Tracking;

/// <summary>
/// The code an experiment ran: a git commit and whether the working tree had uncommitted changes (then the commit alone
/// does not reproduce the run).
/// </summary>
public sealed record CodeVersion
{
    /// <summary>A code version of <paramref name="commit"/> (40 or 64 lowercase hex digits: SHA-1 or SHA-256 git).</summary>
    public CodeVersion(string commit, bool dirty)
    {
        bool ok = commit is { Length: 40 or 64 } && commit.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
        if (!ok)
            throw new ArgumentException($"git commit '{commit}' is invalid: use the full 40 (SHA-1) or 64 (SHA-256) lowercase hexadecimal digits", nameof(commit));
        Commit = commit;
        Dirty = dirty;
    }

    /// <summary>The full commit id.</summary>
    public string Commit { get; }

    /// <summary>Whether the working tree had changes that the commit does not hold.</summary>
    public bool Dirty { get; }
}
