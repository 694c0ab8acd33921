using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Roster.Operations;

/// <summary>
/// The console log, with Microsoft's formatters (the same text or JSON lines as its console logger)
/// but not its writer. Microsoft's hands each line to its writer thread through a locked queue,
/// waking the thread per line, and writes and flushes stdout once per line: profiled under load
/// (issue 9, GET /Users/{id} on SQLite), the access log's line per request took a third of the
/// server's CPU, in the write(2) per line and in contention for that lock. Here each line is still
/// formatted on the caller's thread, then handed over through a channel without a lock; the writer
/// loop writes every line that has accumulated into one buffer and flushes it once, when the
/// channel is empty. A lone line still leaves at once; under load many leave in one write.
/// </summary>
internal sealed class BatchingConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    /// <summary>Lines waiting for the writer before a caller waits for room, as Microsoft's logger
    /// does at its default 2,500 (QueueFullMode.Wait): a log never grows without bound.</summary>
    const int MaxQueuedLines = 10_000;

    [ThreadStatic] static StringWriter? formatted;

    readonly ConsoleFormatter formatter;
    readonly Channel<string> lines = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxQueuedLines)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
    });
    readonly Task writer;
    readonly Stream output;
    IExternalScopeProvider? scopes;

    public BatchingConsoleLoggerProvider(IEnumerable<ConsoleFormatter> formatters, IOptions<ConsoleLoggerOptions> options)
    {
        var name = options.Value.FormatterName ?? ConsoleFormatterNames.Simple;
        formatter = formatters.FirstOrDefault(f => f.Name == name)
                    ?? throw new InvalidOperationException($"No console log formatter is named '{name}'.");
        output = Console.OpenStandardOutput();
        // An async loop, not a thread blocked on the channel: a blocking wait on it spins before it
        // sleeps, which the profile showed as the writer's CPU.
        writer = Task.Run(WriteLinesAsync);
    }

    public ILogger CreateLogger(string categoryName) => new ConsoleLineLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    void Write<TState>(in LogEntry<TState> entry)
    {
        var text = formatted ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        formatter.Write(entry, scopes, text);
        var builder = text.GetStringBuilder();
        if (builder.Length == 0) return;
        var line = builder.ToString();
        builder.Clear();
        if (builder.Capacity > 4096) builder.Capacity = 1024; // one huge entry does not pin its buffer
        if (!lines.Writer.TryWrite(line)) lines.Writer.WriteAsync(line).AsTask().GetAwaiter().GetResult();
    }

    async Task WriteLinesAsync()
    {
        using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024) { AutoFlush = false };
        var writable = true;
        while (await lines.Reader.WaitToReadAsync())
        {
            try
            {
                while (lines.Reader.TryRead(out var line))
                {
                    if (writable) text.Write(line);
                }
                if (writable) text.Flush();
            }
            catch (IOException)
            {
                // stdout closed (the reader of a pipe went away): nowhere is left to log to. The lines
                // are still taken, so that no caller waits for room, and a logger never takes the
                // server down with it.
                writable = false;
            }
        }
    }

    /// <summary>Writes what is queued, then stops: the last lines of a shutdown are not lost.</summary>
    public void Dispose()
    {
        lines.Writer.TryComplete();
        writer.Wait(TimeSpan.FromSeconds(5));
    }

    sealed class ConsoleLineLogger(BatchingConsoleLoggerProvider provider, string category) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.scopes?.Push(state) ?? NullScope.Instance;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
        }
    }

    sealed class NullScope : IDisposable
    {
        public static readonly NullScope Instance = new();

        public void Dispose()
        {
        }
    }
}
