using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Skia.Pool.FakeServe;

/// <summary>
/// Reads the <c>file</c> field of a multipart upload as it streams in, hashing while it copies. Not
/// <c>ReadFormAsync</c>: that would first spool the whole file to a temporary file, and the pool streams
/// uploads of hundreds of MiB through.
/// </summary>
internal static class MultipartUpload
{
    /// <summary>Bytes beyond this are counted and hashed but not kept.</summary>
    public const int KeepAtMost = 64 * 1024 * 1024;

    private const string FieldName = "file";
    private const int BufferSize = 80 * 1024;
    private const int SlackToleratedBytes = 64 * 1024;

    /// <summary>The upload, or null when the request is not multipart or has no <c>file</c> field.</summary>
    /// <exception cref="InvalidDataException">The body breaks a multipart limit.</exception>
    /// <exception cref="IOException">The body ends early or is not valid multipart.</exception>
    public static async Task<Upload?> ReadAsync(HttpRequest request, FormOptions limits, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary);
        if (boundary.Length == 0 || boundary.Length > limits.MultipartBoundaryLengthLimit)
        {
            return null;
        }

        var reader = new MultipartReader(boundary.ToString(), request.Body)
        {
            HeadersCountLimit = limits.MultipartHeadersCountLimit,
            HeadersLengthLimit = limits.MultipartHeadersLengthLimit,
            BodyLengthLimit = limits.MultipartBodyLengthLimit,
        };

        // Sections before the file field are skipped; the reader drains whatever a section leaves unread.
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (section.GetContentDispositionHeader() is { } disposition
                && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FieldName, StringComparison.Ordinal))
            {
                // A plain form value named "file" (no filename) is still an upload, just a nameless one.
                var name = disposition.IsFileDisposition() ? new FileMultipartSection(section, disposition).FileName : "";
                return await ReceiveAsync(name, section.Body, request.ContentLength, cancellationToken);
            }
        }

        return null;
    }

    private static async Task<Upload> ReceiveAsync(
        string name, Stream body, long? bodyLength, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // The file is no longer than the request body: sizing the buffer from that up front avoids a trail of
        // ever larger discarded copies while it grows. Dropped, not just disposed (a disposed MemoryStream
        // keeps its buffer), once the file turns out larger than KeepAtMost.
        MemoryStream? kept = new((int)Math.Min(bodyLength ?? 0, KeepAtMost));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                total += read;
                if (total > KeepAtMost)
                {
                    kept = null;
                }

                kept?.Write(buffer, 0, read);
            }

            return new Upload(name, total, Convert.ToHexStringLower(sha256.GetHashAndReset()), Trim(kept));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The kept bytes without a copy when the buffer fits them closely (the multipart framing makes it a little
    /// larger), with one when other fields made it much larger than the file.
    /// </summary>
    private static ReadOnlyMemory<byte>? Trim(MemoryStream? kept) =>
        kept is null ? null
        : kept.Capacity - kept.Length <= SlackToleratedBytes ? kept.GetBuffer().AsMemory(0, (int)kept.Length)
        : kept.ToArray();
}
