namespace Arc.Tracking;

/// <summary>
/// Files, label targets and file owners between the records and the wire messages, both ways. A target or owner of a
/// kind that cannot hold labels or files is an <see cref="ArgumentException"/>, which the service reports as INVALID_ARGUMENT.
/// </summary>
internal static class FileWire
{
    public static FileRefMessage ToMessage(FileRef file) => new() { Name = file.Name, Sha256 = file.Sha256, Size = file.Size };

    public static FileRef ToFileRef(FileRefMessage? message)
    {
        if (message is null) throw new ArgumentException("the file is not set", "file");
        return new FileRef(message.Name, message.Sha256, message.Size);
    }

    public static ObjectRefMessage ToMessage(FileOwner owner) => new() { Kind = ToCode(owner.Kind), Id = owner.Id };

    public static ObjectRefMessage ToMessage(LabelTarget target) => new() { Kind = ToCode(target.Kind), Id = target.Id };

    public static FileOwner ToOwner(ObjectRefMessage? message, string field = "owner") => message?.Kind switch
    {
        ObjectKindCode.Experiment => FileOwner.Experiment(message.Id),
        ObjectKindCode.ModelVersion => FileOwner.ModelVersion(message.Id),
        _ => throw new ArgumentException($"{field} must be an experiment or a model version (kind {Describe(message)})", field),
    };

    public static LabelTarget ToTarget(ObjectRefMessage? message, string field = "target") => message?.Kind switch
    {
        ObjectKindCode.Model => LabelTarget.Model(message.Id),
        ObjectKindCode.ModelVersion => LabelTarget.ModelVersion(message.Id),
        _ => throw new ArgumentException($"{field} must be a model or a model version (kind {Describe(message)})", field),
    };

    public static AttachedFileMessage ToMessage(AttachedFile file) => new()
    {
        Owner = ToMessage(file.Owner),
        File = ToMessage(file.File),
        AttachedAtUnixMicros = WireTime.ToMicros(file.AttachedAt),
    };

    public static AttachedFile ToAttachedFile(AttachedFileMessage message)
        => new(ToOwner(message.Owner), ToFileRef(message.File), WireTime.FromMicros(message.AttachedAtUnixMicros, "attached_at_unix_micros"));

    private static ObjectKindCode ToCode(TrackedObjectKind kind) => kind switch
    {
        TrackedObjectKind.Experiment => ObjectKindCode.Experiment,
        TrackedObjectKind.Model => ObjectKindCode.Model,
        TrackedObjectKind.ModelVersion => ObjectKindCode.ModelVersion,
        _ => throw new ArgumentException($"a {kind} holds neither labels nor files; make targets with LabelTarget.Model/ModelVersion and owners with FileOwner.Experiment/ModelVersion, not default"),
    };

    private static string Describe(ObjectRefMessage? message) => message is null ? "not set" : $"{(int)message.Kind}";
}
