namespace Skia.Pool.FakeServe;

/// <summary>The file most recently posted to <c>/new</c>.</summary>
/// <param name="Name">The file name the browser sent, unchecked: encode it before showing it.</param>
/// <param name="Bytes">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
/// <param name="Content">
/// Its bytes when small enough to keep (see <see cref="MultipartUpload.KeepAtMost"/>), else null. Kept
/// although no route reads them back so that an instance's memory grows with its upload, as skiaserve's does
/// with the picture it holds: that is what the pool has to live with.
/// </param>
internal sealed record Upload(string Name, long Bytes, string Sha256, ReadOnlyMemory<byte>? Content);
