using System.Buffers;
using System.Globalization;

namespace Skia.Pool.Api.Proxy.Relay;

/// <summary>
/// A request head being written as bytes into a pooled buffer that grows as needed. Only printable
/// ASCII and tabs go in: anything else makes <see cref="Failed"/> true, and the caller sends the request
/// another way (nothing has been sent yet).
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
        Append(value);
        AppendLiteral("\r\n"u8);
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
