using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Tests.Infrastructure.Http;

/// <summary>
/// The relay's large buffers are bounded in number: a crowd of slow downloads (every read fills the
/// ordinary buffer when the client lags) must not each take a MiB the service then keeps.
/// </summary>
[Collection(RelayBuffersCollection.Name)]
public sealed class RelayBuffersTests
{
    [Fact]
    public void TryRentLarge_BoundReached_GivesNoneUntilOneIsReturned()
    {
        List<byte[]> taken = [];
        try
        {
            while (RelayBuffers.TryRentLarge() is { } buffer)
            {
                taken.Add(buffer);
                taken.Count.Should().BeLessThanOrEqualTo(64, "the bound is far below this");
            }

            taken.Should().NotBeEmpty();
            RelayBuffers.Return(taken[^1]);
            taken.RemoveAt(taken.Count - 1);

            var again = RelayBuffers.TryRentLarge();

            again.Should().NotBeNull().And.HaveCount(RelayConnection.LargeBufferSize);
            taken.Add(again!);
            RelayBuffers.TryRentLarge().Should().BeNull();
        }
        finally
        {
            taken.ForEach(RelayBuffers.Return);
        }
    }
}

/// <summary>Tests that take the process's large relay buffers run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RelayBuffersCollection
{
    public const string Name = "relay buffers";
}
