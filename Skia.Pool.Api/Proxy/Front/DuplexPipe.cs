using System.IO.Pipelines;

namespace Skia.Pool.Api.Proxy.Front;

/// <summary>A reader and a writer as one transport: what a lent connection gives Kestrel (<see cref="KestrelLoan"/>).</summary>
internal sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
