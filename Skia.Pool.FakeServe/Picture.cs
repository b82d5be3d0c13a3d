namespace Skia.Pool.FakeServe;

/// <summary>
/// The picture <c>/img</c> shows in place of a rendered SKP: a gradient whose three corner colours come from
/// the upload's SHA-256, so that a person or a test can tell uploads apart at a glance.
/// </summary>
internal static class Picture
{
    public const int Width = 256;
    public const int Height = 256;

    /// <summary>Left, right and bottom colours before anything was uploaded.</summary>
    private static readonly byte[] NoUploadColours = [0x20, 0x40, 0x80, 0x40, 0xA0, 0xE0, 0xF0, 0xF0, 0xF0];

    /// <param name="sha256">Lower-case hex SHA-256 of the upload, or null before any upload.</param>
    public static byte[] RenderPng(string? sha256)
    {
        var colours = sha256 is null ? NoUploadColours : Convert.FromHexString(sha256);
        var rgb = new byte[Width * Height * 3];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var pixel = ((y * Width) + x) * 3;
                for (var channel = 0; channel < 3; channel++)
                {
                    // Left to right between the first two colours, then top to bottom towards the third.
                    var across = Mix(colours[channel], colours[3 + channel], x, Width - 1);
                    rgb[pixel + channel] = (byte)Mix(across, colours[6 + channel], y, Height - 1);
                }
            }
        }

        return PngWriter.Encode(Width, Height, rgb);
    }

    private static int Mix(int from, int to, int step, int steps) => from + ((to - from) * step / steps);
}
