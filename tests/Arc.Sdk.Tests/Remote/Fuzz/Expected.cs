using Grpc.Core;
using Arc.Remote;

namespace Arc.Testing.Fuzz;

/// <summary>What one call ended with: its status (OK included), detail, trailers, and the reply messages read before the end.</summary>
internal sealed record CallOutcome(StatusCode Status, string Detail, Metadata Trailers, IReadOnlyList<byte[]> Replies);

/// <summary>
/// What the worker must answer for one frame, decided in this process by the same wire readers run on the frame's bytes
/// (independent of the transport): a frame that does not decode must get exactly the marshaller's InvalidArgument; one
/// that decodes must get what the served code answers for it.
/// </summary>
internal abstract record Expected
{
    /// <summary>Judges <paramref name="outcome"/>: null when it is what was expected, otherwise what is wrong.</summary>
    public abstract string? Judge(CallOutcome outcome);

    /// <summary>The frame does not decode: InvalidArgument with exactly <paramref name="Detail"/>, after <paramref name="RepliesBefore"/> replies (a stream's earlier messages).</summary>
    public sealed record Malformed(string Detail, int RepliesBefore = 0) : Expected
    {
        public override string? Judge(CallOutcome outcome)
        {
            if (outcome.Status != StatusCode.InvalidArgument || outcome.Detail != Detail)
                return $"expected InvalidArgument \"{Clip(Detail)}\", got {Describe(outcome)}";
            return outcome.Replies.Count == RepliesBefore ? null : $"expected {RepliesBefore} replies before the refusal, got {outcome.Replies.Count}";
        }
    }

    /// <summary>The frame decodes and must be answered OK; <paramref name="Check"/> returns null when the replies are right, else what is wrong.</summary>
    public sealed record Ok(Func<IReadOnlyList<byte[]>, string?> Check) : Expected
    {
        public override string? Judge(CallOutcome outcome)
            => outcome.Status == StatusCode.OK ? Check(outcome.Replies) : $"expected OK, got {Describe(outcome)}";
    }

    /// <summary>The frame decodes and the served code refuses it with <paramref name="Status"/> and a detail <paramref name="Detail"/> accepts (<paramref name="What"/> says which).</summary>
    public sealed record Refused(StatusCode Status, Func<string, bool> Detail, string What) : Expected
    {
        public override string? Judge(CallOutcome outcome)
            => outcome.Status == Status && Detail(outcome.Detail) ? null : $"expected {Status} ({What}), got {Describe(outcome)}";
    }

    /// <summary>
    /// The frame decodes and the served code throws <paramref name="Type"/>: Internal, or InvalidArgument for an
    /// argument error, with Arc's error trailers naming it (the documented way a model's, job's or pod's exception
    /// reaches the caller: docs/errors.md).
    /// </summary>
    public sealed record RemoteError(Type Type) : Expected
    {
        public override string? Judge(CallOutcome outcome)
        {
            string? type = RemoteErrorTrailers.Read(outcome.Trailers, RemoteErrorTrailers.TypeKey);
            var status = Type.IsAssignableTo(typeof(ArgumentException)) ? StatusCode.InvalidArgument : StatusCode.Internal;
            return outcome.Status == status && type == Type.FullName ? null
                : $"expected {status} with remote type {Type.FullName}, got {Describe(outcome)} (remote type {type ?? "none"})";
        }
    }

    /// <summary>Short text of an outcome for failure messages.</summary>
    public static string Describe(CallOutcome outcome) => $"{outcome.Status} \"{Clip(outcome.Detail)}\" after {outcome.Replies.Count} replies";

    /// <summary>Keeps failure messages readable when a detail quotes a long hostile string.</summary>
    public static string Clip(string text) => text.Length <= 200 ? text : text[..200] + $"… ({text.Length} chars)";
}
