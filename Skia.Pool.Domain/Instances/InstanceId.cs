using System.Diagnostics.CodeAnalysis;

namespace Skia.Pool.Domain.Instances;

/// <summary>
/// The id of one user's instance. It is the user's only credential, so it is random (a v4 UUID
/// from the cryptographic RNG), parsed strictly, and shown in logs only as <see cref="Short"/>.
/// </summary>
public readonly record struct InstanceId
{
    private readonly Guid _value;

    private InstanceId(Guid value) => _value = value;

    /// <summary>Mints a new id. <see cref="Guid.NewGuid"/> draws from the OS cryptographic RNG on every platform .NET supports.</summary>
    public static InstanceId New() => new(Guid.NewGuid());

    /// <summary>Accepts only the canonical 8-4-4-4-12 hex form, in any case; everything else is not an id.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out InstanceId id)
    {
        id = default;
        if (text is null || !IsCanonical(text) || !Guid.TryParseExact(text, "D", out var guid) || guid == Guid.Empty)
        {
            return false;
        }

        id = new InstanceId(guid);
        return true;
    }

    // Guid's "D" parser also takes "0x" and "+" inside a group and trims whitespace, so several
    // spellings would name one instance; an id that is a credential and a URL segment gets exactly one.
    private static bool IsCanonical(string text)
    {
        if (text.Length != 36)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var valid = i is 8 or 13 or 18 or 23 ? text[i] == '-' : char.IsAsciiHexDigit(text[i]);
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first eight hex digits: enough to tell instances apart in logs, useless as a credential.</summary>
    public string Short => _value.ToString("N")[..8];

    /// <summary>The canonical lower-case form, as used in the user's URL.</summary>
    public override string ToString() => _value.ToString("D");
}
