using System.Collections.Concurrent;

namespace Arc.Sdk;

/// <summary>
/// One dedicated thread on which a served model's calls run, one after another, so that all the native memory the
/// model allocates (libtorch's tensors) comes from the one glibc heap that this thread uses.
/// </summary>
/// <remarks>
/// glibc gives each thread a heap (arena) of its own, up to eight per core, and a heap keeps the memory freed at its top
/// for the next allocation (Arc.Torch's NativeHeapTuning lets it keep up to 64 MiB, so that a step's tensors are not
/// faulted back in every step). A worker that ran its model's steps on whichever thread-pool thread took the call
/// spread the steps over every heap the runtime had already made, seven before the first line of the worker's code,
/// and each kept a step's worth: a worker running eight 4 MiB fits at once peaked 260–290 MiB above its warmed-up peak.
/// Here a step costs two thread hand-offs instead; the calls stay in their order, and a call's own awaits may continue
/// elsewhere.
/// </remarks>
internal sealed class ModelThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public ModelThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        // Started without the creator's execution context: its async-locals would otherwise live as long as the
        // thread and could hold objects of a model's code that develop mode has since unloaded.
        _thread.UnsafeStart();
    }

    /// <summary>Runs <paramref name="call"/> on the model thread; its result or exception comes back on a thread-pool thread.</summary>
    public Task<T> RunAsync<T>(Func<ValueTask<T>> call)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            ValueTask<T> pending;
            try { pending = call(); }
            catch (Exception e) { done.TrySetException(e); return; }
            if (pending.IsCompletedSuccessfully) done.TrySetResult(pending.Result);
            else _ = CompleteAsync(pending, done);
        });
        return done.Task;
    }

    /// <summary>
    /// Lets the thread finish the calls already given to it and waits for it to end, so that nothing of the model's
    /// code is still on its stack when the caller goes on (develop mode counts an unloaded version as freed only once
    /// nothing refers to it). Called from the model thread itself, it does not wait.
    /// </summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
    }

    private static async Task CompleteAsync<T>(ValueTask<T> pending, TaskCompletionSource<T> done)
    {
        try { done.TrySetResult(await pending.ConfigureAwait(false)); }
        catch (Exception e) { done.TrySetException(e); } // the call's own exception, cancellation included, as a direct await would see it
    }

    private void Run()
    {
        // Not a foreach: the loop runs once per thread, so it stays unoptimized code, which keeps a foreach variable
        // (the last call, and the model it refers to) alive while the thread waits for the next one.
        while (_work.TryTake(out Action? work, Timeout.Infinite))
        {
            work();
            work = null;
        }
    }
}
