using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Skia.Pool.Api.Hosting;

/// <summary>Gives Kestrel's transport a <see cref="TransportMemoryPool"/> (it asks the factory registered in DI).</summary>
internal sealed class TransportMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new TransportMemoryPool();
}
