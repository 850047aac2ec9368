using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Arc.Tracking;
using Grpc.Core;

namespace Arc.Cli;

/// <summary><c>arc events watch</c>: the event log, then each new event as it commits, until Ctrl+C.</summary>
internal static class EventCommands
{
    /// <summary>How long to wait before watching again after the server went away.</summary>
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    public static Command Build()
    {
        var command = new Command("events", "Follow the event log");
        command.Add(Watch());
        return command;
    }

    private static Command Watch()
    {
        var space = new Option<string?>("--namespace", "-n") { Description = "Only this namespace's events" };
        var from = new Option<long>("--from") { Description = "Start after this event id (0, the default: from the first event)", DefaultValueFactory = _ => 0 };
        var kinds = new Option<string[]>("--kind") { Description = "Only events of this kind (repeatable: experiment.created, label.set, ...)" };
        var command = new Command("watch",
            "Print every event after --from, then each new one as it commits, until Ctrl+C; after a lost connection it resumes after the last event printed")
            { space, from, kinds };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            long after = context.Parse.GetValue(from);
            if (after < 0) throw new CliException($"--from {after}: event ids start at 1 (0: from the first)", ExitCodes.Usage);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            var query = new EventQuery { AfterId = after, Namespace = context.Parse.GetValue(space), Kinds = context.Parse.GetValue(kinds) ?? [] };
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await foreach (var e in EventFollow.FollowAsync(context.Store, query, stop.Token).ConfigureAwait(false))
                    {
                        Print(context.Output, e);
                        query = query with { AfterId = e.Id };
                    }
                    return; // the server ended the watch
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
                {
                    return;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    // Ids are handed out in commit order with no gap: watching again after the last id printed misses none.
                    await Console.Error.WriteLineAsync($"arc: the watch broke ({e.Status.Detail}); resuming after event {query.AfterId}").ConfigureAwait(false);
                    try
                    {
                        await Task.Delay(Reconnect, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }

            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
        });
        return command;
    }

    /// <summary>One event: a line of text, or with <c>--json</c> one JSON object per line (JSON Lines, for a pipe).</summary>
    private static void Print(Output output, TrackingEvent e)
    {
        if (output.Json)
        {
            JsonNode? payload;
            try
            {
                payload = JsonNode.Parse(e.Payload);
            }
            catch (System.Text.Json.JsonException)
            {
                payload = e.Payload;
            }
            output.WriteLine(new JsonObject
            {
                ["id"] = e.Id,
                ["time"] = Output.JsonTime(e.Time),
                ["kind"] = e.Kind,
                ["namespace"] = e.Namespace,
                ["objectId"] = e.ObjectId,
                ["payload"] = payload,
            }.ToJsonString());
        }
        else
        {
            output.WriteLine(string.Join("  ", e.Id.ToString(CultureInfo.InvariantCulture), Output.Time(e.Time), e.Namespace, e.Kind, e.ObjectId, e.Payload));
        }
    }
}
