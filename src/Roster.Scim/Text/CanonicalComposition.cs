using System.Globalization;
using System.Text;

namespace Roster.Scim.Text;

/// <summary>
/// Unicode normalization form C (UAX #15), done by Roster itself: Roster runs in globalization-invariant
/// mode, where <see cref="string.Normalize()"/> returns its input unchanged. The canonical data is a file
/// in the repository (unicode-canonical.txt, Unicode 14), not the machine's: a comparison key computed
/// from it is the same in every process, on every machine, in every year.
/// </summary>
public static class CanonicalComposition
{
    const int HangulBase = 0xAC00, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7;
    const int LeadCount = 19, VowelCount = 21, TrailCount = 28, SyllableCount = LeadCount * VowelCount * TrailCount;

    static readonly Dictionary<int, int[]> Decompositions = [];
    static readonly Dictionary<int, byte> CombiningClasses = [];
    static readonly Dictionary<long, int> Composites = [];

    static CanonicalComposition()
    {
        using var stream = typeof(CanonicalComposition).Assembly.GetManifestResourceStream("Roster.Scim.Text.unicode-canonical.txt")
                           ?? throw new InvalidOperationException("The Unicode canonical data is not embedded in Roster.Scim.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split(' ');
            var values = fields.Skip(1).Select(f => int.Parse(f, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            switch (fields[0])
            {
                case "D": Decompositions[values[0]] = values[1..]; break;
                case "C": CombiningClasses[values[0]] = (byte)int.Parse(fields[2], CultureInfo.InvariantCulture); break;
                case "P": Composites[Pair(values[0], values[1])] = values[2]; break;
            }
        }
    }

    /// <summary><paramref name="text"/> in NFC. Text below U+0300 is NFC already and is returned as is.</summary>
    public static string Normalize(string text)
    {
        if (text.All(c => c < '\u0300')) return text;
        var buffer = new List<int>(text.Length + 8);
        foreach (var rune in Runes(text)) Decompose(rune, buffer);
        Reorder(buffer);
        var length = Compose(buffer);
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < length; i++)
        {
            var cp = buffer[i];
            if (Rune.IsValid(cp)) builder.Append(char.ConvertFromUtf32(cp));
            else builder.Append((char)cp); // a lone surrogate, kept as it was
        }
        return builder.ToString();
    }

    static IEnumerable<int> Runes(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            else
            {
                yield return text[i];
            }
        }
    }

    static void Decompose(int cp, List<int> output)
    {
        var s = cp - HangulBase;
        if (s is >= 0 and < SyllableCount)
        {
            output.Add(LeadBase + s / (VowelCount * TrailCount));
            output.Add(VowelBase + s % (VowelCount * TrailCount) / TrailCount);
            if (s % TrailCount != 0) output.Add(TrailBase + s % TrailCount);
        }
        else if (Decompositions.TryGetValue(cp, out var mapping))
        {
            output.AddRange(mapping);
        }
        else
        {
            output.Add(cp);
        }
    }

    static int Class(int cp) => CombiningClasses.TryGetValue(cp, out var c) ? c : 0;

    /// <summary>Canonical ordering: each run of combining marks sorted by class, stably.</summary>
    static void Reorder(List<int> buffer)
    {
        for (var i = 1; i < buffer.Count; i++)
        {
            var cp = buffer[i];
            var cc = Class(cp);
            if (cc == 0) continue;
            var j = i;
            while (j > 0 && Class(buffer[j - 1]) > cc)
            {
                buffer[j] = buffer[j - 1];
                j--;
            }
            buffer[j] = cp;
        }
    }

    /// <summary>The canonical composition algorithm of UAX #15 §1.3, in place; returns the new length.</summary>
    static int Compose(List<int> buffer)
    {
        if (buffer.Count == 0) return 0;
        var starterPosition = 0;
        var starter = buffer[0];
        var lastClass = Class(starter) == 0 ? 0 : 256;
        var written = 1;
        for (var i = 1; i < buffer.Count; i++)
        {
            var cp = buffer[i];
            var cc = Class(cp);
            if (Composite(starter, cp) is { } composite && (lastClass < cc || lastClass == 0))
            {
                buffer[starterPosition] = composite;
                starter = composite;
                continue;
            }
            if (cc == 0)
            {
                starterPosition = written;
                starter = cp;
            }
            lastClass = cc;
            buffer[written++] = cp;
        }
        return written;
    }

    static int? Composite(int first, int second)
    {
        var l = first - LeadBase;
        var v = second - VowelBase;
        if (l is >= 0 and < LeadCount && v is >= 0 and < VowelCount) return HangulBase + (l * VowelCount + v) * TrailCount;
        var s = first - HangulBase;
        var t = second - TrailBase;
        if (s is >= 0 and < SyllableCount && s % TrailCount == 0 && t is > 0 and < TrailCount) return first + t;
        return Composites.TryGetValue(Pair(first, second), out var composite) ? composite : null;
    }

    static long Pair(int first, int second) => ((long)first << 21) | (uint)second;
}
