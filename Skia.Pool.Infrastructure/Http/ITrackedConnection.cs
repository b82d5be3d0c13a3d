namespace Skia.Pool.Infrastructure.Http;

/// <summary>A connection to an instance that <see cref="InstanceConnections"/> keeps track of: HttpClient's (YARP, the probe) or the relay's.</summary>
internal interface ITrackedConnection
{
    /// <summary>This end's port, by which the instance's process tree can be checked to hold the other end.</summary>
    int LocalPort { get; }

    /// <summary>Ends the connection both ways, for the pool: its instance stopped or restarted.</summary>
    void ShutDown();
}
