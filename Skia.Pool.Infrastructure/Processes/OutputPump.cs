using System.Text;
using Microsoft.Extensions.Logging;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// Drains one of a child's output pipes so it never blocks on a full pipe, and logs each line with
/// the instance's scope. Bounded on every axis a noisy backend could abuse: a line longer than
/// <see cref="MaxLineChars"/> is cut, at most <see cref="MaxLinesPerSecond"/> lines a second are
/// logged (the rest are counted and reported), and only the last <see cref="KeptLines"/> are kept.
/// </summary>
internal sealed partial class OutputPump
{
    public const int MaxLineChars = 2048;
    public const int MaxLinesPerSecond = 100;
    public const int KeptLines = 20;

    private readonly ILogger _logger;
    private readonly string _stream;
    private readonly Queue<string> _recent = new();
    private long _windowStart;
    private int _linesInWindow;
    private int _suppressed;

    public OutputPump(ILogger logger, string stream)
    {
        _logger = logger;
        _stream = stream;
    }

    /// <summary>The last lines, oldest first.</summary>
    public IReadOnlyList<string> Recent
    {
        get
        {
            lock (_recent)
            {
                return [.. _recent];
            }
        }
    }

    public async Task RunAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        var truncated = false;
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    var c = buffer[i];
                    if (c == '\n')
                    {
                        Emit(line, truncated);
                        line.Clear();
                        truncated = false;
                    }
                    else if (line.Length < MaxLineChars)
                    {
                        line.Append(c);
                    }
                    else
                    {
                        truncated = true;
                    }
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke with the process; what was read is all there is.
        }

        if (line.Length > 0)
        {
            Emit(line, truncated);
        }

        if (_suppressed > 0)
        {
            Log.Suppressed(_logger, _stream, _suppressed);
        }
    }

    private void Emit(StringBuilder builder, bool truncated)
    {
        var text = builder.ToString().TrimEnd('\r') + (truncated ? " [line cut]" : "");
        lock (_recent)
        {
            _recent.Enqueue(text);
            if (_recent.Count > KeptLines)
            {
                _recent.Dequeue();
            }
        }

        var now = Environment.TickCount64;
        if (now - _windowStart >= 1000)
        {
            if (_suppressed > 0)
            {
                Log.Suppressed(_logger, _stream, _suppressed);
            }

            _windowStart = now;
            _linesInWindow = 0;
            _suppressed = 0;
        }

        if (++_linesInWindow <= MaxLinesPerSecond)
        {
            Log.Line(_logger, _stream, text);
        }
        else
        {
            _suppressed++;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Stream}: {Line}")]
        public static partial void Line(ILogger logger, string stream, string line);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "{Stream}: {Count} lines not logged (more than 100 a second)")]
        public static partial void Suppressed(ILogger logger, string stream, int count);
    }
}
