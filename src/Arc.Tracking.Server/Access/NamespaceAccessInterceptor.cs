using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Arc.Tracking.Server;

/// <summary>
/// The second half of access (docs/tracking.md, "Access"): once <see cref="BearerTokenCheck"/> has admitted a caller and
/// gRPC has decoded the request, this finds the namespace the call touches (<see cref="AccessRules"/>) and ends the call
/// <c>PermissionDenied</c> unless the caller's token grants that access there; lists across namespaces are cut to what
/// the caller may read. Installed only when the server has tokens.
/// </summary>
internal sealed class NamespaceAccessInterceptor(NamespaceResolver resolver) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var caller = await CheckAsync(request, context).ConfigureAwait(false);
        var reply = await continuation(request, context).ConfigureAwait(false);
        AccessRules.FilterReply(reply, caller);
        return reply;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await CheckAsync(request, context).ConfigureAwait(false);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    /// <summary>A client stream (UploadFile) is checked on its first message, which the call then reads as if untouched.</summary>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{context.Method}: the request stream is empty"));
        var first = requestStream.Current;
        await CheckAsync(first!, context).ConfigureAwait(false);
        return await continuation(new ReplayFirst<TRequest>(first, requestStream), context).ConfigureAwait(false);
    }

    // The service has no duplex calls; one added later is closed until it has a rule.
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        => throw NoRule(context);

    private async Task<TrackingToken> CheckAsync(object request, ServerCallContext context)
    {
        // The middleware admits no call without a token when the server has tokens, and this interceptor exists only then.
        var caller = BearerTokenCheck.CallerOf(context.GetHttpContext())
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the call was not admitted by a token"));
        AccessRules.Need? need;
        string space;
        try
        {
            need = AccessRules.For(request) ?? throw NoRule(context);
            if (need.Namespace is null) return caller;
            space = await need.Namespace(resolver, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (TrackingErrors.ToRpcException(e) is { } status)
        {
            throw status;
        }
        if (caller.Allows(space, need.Access)) return caller;
        if (space == TrackingToken.AnyNamespace)
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"token '{caller.Name}' may not read every namespace's events: name a namespace"));
        throw new RpcException(new Status(StatusCode.PermissionDenied,
            $"token '{caller.Name}' may not {(need.Access == TrackingAccess.Write ? "write" : "read")} namespace '{space}'" +
            (caller.Allows(space, TrackingAccess.Read) ? " (it may read it)" : "")));
    }

    /// <summary>A request stream whose first message was read already: it yields that one again, then the rest.</summary>
    private sealed class ReplayFirst<T>(T first, IAsyncStreamReader<T> rest) : IAsyncStreamReader<T>
    {
        private bool _replayed;

        public T Current => _replayed ? rest.Current : first;

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (_replayed) return rest.MoveNext(cancellationToken);
            _replayed = true;
            return Task.FromResult(true);
        }
    }

    private static RpcException NoRule(ServerCallContext context) => new(new Status(StatusCode.PermissionDenied,
        $"{context.Method} has no namespace access rule on this server yet, so it is closed to token holders"));
}
