using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// The instance processes this service has launched and not yet seen gone, kept in a small file
/// (one "pid starttime" line each, rewritten atomically) so that a service killed with SIGKILL can,
/// when started again, stop what it left behind — and only that: a pid is acted on only while its
/// start time still matches.
/// </summary>
public sealed partial class InstanceRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ulong> _live = [];
    private readonly ILogger<InstanceRegistry> _logger;

    private readonly bool _usable;

    public InstanceRegistry(string path, ILogger<InstanceRegistry> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _logger = logger;
        _usable = PrepareDirectory(System.IO.Path.GetDirectoryName(path)!);
    }

    public string Path { get; }

    /// <summary>
    /// <c>NAME=value</c> set in every instance's environment (inherited by its whole tree). The sweep after a
    /// crash only stops processes that carry it, so a forged registry file cannot aim it at anything else.
    /// </summary>
    public string Marker => "SKIA_POOL_REGISTRY=" + Path;

    internal void Add(int pid, ulong startTime)
    {
        lock (_gate)
        {
            _live[pid] = startTime;
            Save();
        }
    }

    /// <summary>The folder an instance gets as its TMPDIR; created now, deleted with <see cref="Remove"/>.</summary>
    internal string ScratchDirectoryFor(int slot, long generation)
    {
        var path = System.IO.Path.Combine(ScratchRoot, $"slot{slot}-g{generation}");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ScratchFailed(_logger, path, e);
        }

        return path;
    }

    /// <summary>Where the scratch folders of this service's instances live (swept at start with the orphans).</summary>
    internal string ScratchRoot => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "tmp-" + System.IO.Path.GetFileNameWithoutExtension(Path));

    internal void Remove(int pid, string scratch)
    {
        lock (_gate)
        {
            if (_live.Remove(pid))
            {
                Save();
            }
        }

        DeleteQuietly(scratch);
    }

    internal void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted meanwhile by the other of the two paths that forget a stopped instance: already done.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ScratchFailed(_logger, directory, e);
        }
    }

    /// <summary>What a previous run left in the file: (pid, start time) pairs; empty when there is no file.</summary>
    internal IReadOnlyList<(int Pid, ulong StartTime)> ReadPrevious()
    {
        if (!_usable)
        {
            return [];
        }

        string[] lines;
        try
        {
            lines = File.Exists(Path) ? File.ReadAllLines(Path) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ReadFailed(_logger, Path, e);
            return [];
        }

        List<(int, ulong)> entries = [];
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                entries.Add((pid, start));
            }
        }

        return entries;
    }

    // Caller holds _gate.
    private void Save()
    {
        if (!_usable)
        {
            return;
        }

        try
        {
            // A fresh, unpredictable name opened with CreateNew (O_EXCL): a planted file or symlink is never written through.
            var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                foreach (var (pid, start) in _live)
                {
                    writer.WriteLine($"{pid} {start}");
                }
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The pool keeps working; only the after-crash sweep loses track.
            Log.SaveFailed(_logger, Path, e);
        }
    }

    // The folder must be private: the file in it decides which processes a later start stops.
    private bool PrepareDirectory(string directory)
    {
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        try
        {
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, Private);
            }

            var unsafeMode = File.GetUnixFileMode(directory) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
            if (new DirectoryInfo(directory).LinkTarget is null && unsafeMode == UnixFileMode.None)
            {
                return true;
            }

            Log.UnsafeDirectory(_logger, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.SaveFailed(_logger, directory, e);
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2023, Level = LogLevel.Error, Message = "The state folder {Path} is a symlink or writable by others: instance processes are not remembered, and leftovers of a crash are not swept (Pool:StateDirectory)")]
        public static partial void UnsafeDirectory(ILogger logger, string path);

        [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Cannot write the instance registry {Path}")]
        public static partial void SaveFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Cannot create or delete the instance scratch folder {Path}")]
        public static partial void ScratchFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Cannot read the instance registry {Path}; leftovers of a previous run are not swept")]
        public static partial void ReadFailed(ILogger logger, string path, Exception exception);
    }
}
