namespace Skia.Pool.FakeServe;

/// <summary>
/// CRC-32 as PNG chunks need it (ISO 3309, reflected polynomial 0xEDB88320), with the usual 256-entry table.
/// Written out here because System.IO.Hashing is a NuGet package and FakeServe takes none.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB8_8320;

    private static readonly uint[] Table = CreateTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < table.Length; n++)
        {
            var c = n;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
