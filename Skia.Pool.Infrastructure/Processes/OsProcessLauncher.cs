using System.ComponentModel;
using System.Diagnostics;
using FluentResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Infrastructure.Processes;

/// <summary>
/// Starts instance processes from the configured command template. Each one is started through
/// <c>setsid</c>, so it leads a session and process group of its own: one signal then reaches
/// everything it starts, and nothing of the service's own group.
/// </summary>
public sealed partial class OsProcessLauncher(
    IOptions<PoolOptions> options, InstanceRegistry registry, ILogger<OsProcessLauncher> logger, TimeProvider time)
    : IProcessLauncher
{
    // Variables that would make a child ASP.NET app bind where the service binds, not on its slot's port.
    private static readonly string[] InheritedVariablesToDrop =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "URLS", "HTTP_PORTS", "HTTPS_PORTS"];

    private static readonly string? SetSid = CommandTemplate.FindExecutable("setsid");

    public Task<Result<IProcessHandle>> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = CommandTemplate.Expand(options.Value, request, AppContext.BaseDirectory);
        var executable = CommandTemplate.FindExecutable(command.FileName);
        if (executable is null)
        {
            return Task.FromResult(Result.Fail<IProcessHandle>(
                new StartFailedError($"The instance command '{command.FileName}' was not found (Pool:Command).")));
        }

        if (!PortCheck.IsFree(request.Port))
        {
            Log.PortInUse(logger, request.SlotIndex, request.Port);
            return Task.FromResult(Result.Fail<IProcessHandle>(new PortInUseError(request.Port)));
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Slot"] = request.SlotIndex, ["Instance"] = request.Id.Short });
        var scratch = registry.ScratchDirectoryFor(request.SlotIndex, request.Generation);
        var process = new Process { StartInfo = StartInfo(command, executable, scratch, registry.Marker) };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            return Task.FromResult(Result.Fail<IProcessHandle>(
                new StartFailedError($"The instance command '{executable}' could not be started: {e.Message} (Pool:Command).")));
        }

        process.StandardInput.Close();
        var pid = process.Id;
        var startTime = ProcStat.Read(pid)?.StartTime ?? 0;
        var tree = new ProcessTree(pid, startTime, ownsSession: SetSid is not null);
        registry.Add(pid, startTime);
        var stdout = new OutputPump(logger, "stdout");
        var stderr = new OutputPump(logger, "stderr");
        _ = stdout.RunAsync(process.StandardOutput);
        _ = stderr.RunAsync(process.StandardError);
        Log.Launched(logger, process.Id, request.Port);
        Log.Command(logger, executable, string.Join(' ', command.Arguments));
        var handle = new OsProcessHandle(process, tree, stderr, time, onGone: () => registry.Remove(pid, scratch));
        _ = ForgetWhenTreeIsGoneAsync(handle, tree, pid, scratch);
        return Task.FromResult(Result.Ok<IProcessHandle>(handle));
    }

    // A process that exits by itself is forgotten at once unless part of its tree lives on; a stop forgets it later.
    private async Task ForgetWhenTreeIsGoneAsync(OsProcessHandle handle, ProcessTree tree, int pid, string scratch)
    {
        await handle.Exited.ConfigureAwait(false);
        if (tree.Members().Count == 0)
        {
            registry.Remove(pid, scratch);
        }
    }

    private static bool IsServiceSetting(string name) =>
        name.StartsWith("Pool__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Pool:", StringComparison.OrdinalIgnoreCase);

    private static ProcessStartInfo StartInfo(CommandLine command, string executable, string scratch, string marker)
    {
        var info = new ProcessStartInfo
        {
            FileName = SetSid ?? executable,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (SetSid is not null)
        {
            info.ArgumentList.Add(executable);
        }

        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (command.WorkingDirectory is not null)
        {
            info.WorkingDirectory = command.WorkingDirectory;
        }

        foreach (var name in InheritedVariablesToDrop)
        {
            info.Environment.Remove(name);
        }

        // The service's own configuration (Pool__AdminToken above all) is not the instance's business: a
        // backend that runs user code could read it from its environment.
        foreach (var name in info.Environment.Keys.Where(IsServiceSetting).ToList())
        {
            info.Environment.Remove(name);
        }

        // A temp folder of its own: wrappers killed by a signal (xvfb-run) cannot clean up theirs, so the
        // pool deletes this one once the instance's tree is gone. Pool:Environment may still override it.
        info.Environment["TMPDIR"] = scratch;
        var (markerName, markerValue) = (marker[..marker.IndexOf('=', StringComparison.Ordinal)], marker[(marker.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        info.Environment[markerName] = markerValue;
        foreach (var (name, value) in command.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Launched pid {Pid} on port {Port}")]
        public static partial void Launched(ILogger logger, int pid, int port);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Slot {Slot}: port {Port} is held by another process; skipping the slot")]
        public static partial void PortInUse(ILogger logger, int slot, int port);

        // Debug only: the arguments may carry the instance id, which is a credential.
        [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Command: {Executable} {Arguments}")]
        public static partial void Command(ILogger logger, string executable, string arguments);
    }
}
