using System.Buffers;
using System.Globalization;
using System.Text;

namespace Skia.Pool.Api.Proxy.Relay;

/// <summary>
/// A request head being written as bytes into a pooled buffer that grows as needed. Printable ASCII and
/// tabs go in as they are, and header values beyond ASCII as UTF-8 (Kestrel decoded them from UTF-8, so
/// this sends the client's own bytes); a control character anywhere, or a non-ASCII one outside a value,
/// makes <see cref="Failed"/> true, and the caller sends the request another way (nothing has been sent yet).
/// </summary>
internal struct HeadBuffer : IDisposable
{
    private byte[] _buffer;

    public HeadBuffer(int initialSize) => _buffer = ArrayPool<byte>.Shared.Rent(initialSize);

    public int Length { get; private set; }

    public bool Failed { get; private set; }

    public readonly ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        var target = _buffer.AsSpan(Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is < ' ' and not '\t' or > '~')
            {
                Failed = true;
                return;
            }

            target[i] = (byte)c;
        }

        Length += text.Length;
    }

    /// <summary>The protocol's own bytes (separators, line ends), written as they are.</summary>
    public void AppendLiteral(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>A header line, <c>name: value</c> and CRLF.</summary>
    public void AppendHeader(ReadOnlySpan<char> name, ReadOnlySpan<char> value)
    {
        Append(name);
        AppendLiteral(": "u8);
        AppendValue(value);
        AppendLiteral("\r\n"u8);
    }

    private void AppendValue(ReadOnlySpan<char> value)
    {
        if (!value.ContainsAnyExceptInRange(' ', '~'))
        {
            Append(value);
            return;
        }

        foreach (var c in value)
        {
            if (c is < ' ' and not '\t' or '\x7f')
            {
                Failed = true;
                return;
            }
        }

        Reserve(Encoding.UTF8.GetMaxByteCount(value.Length));
        Length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length));
    }

    public void AppendNumber(long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        Append(digits[..written]);
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null!;
        }
    }

    private void Reserve(int count)
    {
        if (Length + count <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + count));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
