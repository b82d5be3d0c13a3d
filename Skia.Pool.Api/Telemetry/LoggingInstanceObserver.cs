using FluentResults;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Api.Telemetry;

/// <summary>Logs the lifecycle. Instances are named by slot and the short id only: the full id is a credential.</summary>
internal sealed partial class LoggingInstanceObserver(ILogger<LoggingInstanceObserver> logger) : IInstanceObserver
{
    public void Starting(InstanceSnapshot instance) => Log.Starting(logger, instance.Slot, instance.Id.Short);

    public void Started(InstanceSnapshot instance, TimeSpan duration) =>
        Log.Started(logger, instance.Slot, instance.Id.Short, instance.Pid, instance.Port, duration.TotalMilliseconds);

    // An unexpected exception behind the error is logged here, with its trace; clients only see the message.
    public void StartFailed(InstanceSnapshot instance, IError error, TimeSpan duration) =>
        Log.StartFailed(logger, instance.Slot, instance.Id.Short, error.Message, duration.TotalMilliseconds,
            error.Reasons.OfType<ExceptionalError>().FirstOrDefault()?.Exception);

    public void Stopping(InstanceSnapshot instance, StopReason reason) =>
        Log.Stopping(logger, instance.Slot, instance.Id.Short, instance.Pid, reason);

    public void Stopped(InstanceSnapshot instance, StopReason reason) =>
        Log.Stopped(logger, instance.Slot, instance.Id.Short, instance.Pid, reason);

    public void Exited(InstanceSnapshot instance, int exitCode) =>
        Log.Exited(logger, instance.Slot, instance.Id.Short, instance.Pid, exitCode);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Slot {Slot} ({Instance}) starting")]
        public static partial void Starting(ILogger logger, int slot, string instance);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Slot {Slot} ({Instance}) stopping: pid {Pid}, reason {Reason}")]
        public static partial void Stopping(ILogger logger, int slot, string instance, int? pid, StopReason reason);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Slot {Slot} ({Instance}) started: pid {Pid}, port {Port}, in {Milliseconds:0.0} ms")]
        public static partial void Started(ILogger logger, int slot, string instance, int? pid, int port, double milliseconds);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Slot {Slot} ({Instance}) failed to start after {Milliseconds:0.0} ms: {Reason}")]
        public static partial void StartFailed(ILogger logger, int slot, string instance, string reason, double milliseconds, Exception? exception);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Slot {Slot} ({Instance}) stopped: pid {Pid}, reason {Reason}")]
        public static partial void Stopped(ILogger logger, int slot, string instance, int? pid, StopReason reason);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Slot {Slot} ({Instance}) exited by itself: pid {Pid}, exit code {ExitCode}")]
        public static partial void Exited(ILogger logger, int slot, string instance, int? pid, int exitCode);
    }
}
