using System.IO.Compression;

namespace Roster.Saml;

/// <summary>The HTTP-Redirect binding's compression: raw DEFLATE (RFC 1951), no zlib header.</summary>
internal static class RedirectDeflate
{
    public static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Inflates, reading no more than <paramref name="maxBytes"/> + 1 bytes out of the stream:
    /// a few kilobytes of DEFLATE can expand a thousandfold, so the limit applies while inflating,
    /// never to a fully inflated result.</summary>
    /// <exception cref="FormatException">Not raw DEFLATE, or it inflates beyond <paramref name="maxBytes"/>.</exception>
    public static byte[] Inflate(byte[] compressed, int maxBytes)
    {
        using var deflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = deflate.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes + 1L - output.Length))) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > maxBytes)
                {
                    throw new FormatException($"The message inflates to more than {maxBytes:N0} bytes.");
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new FormatException("The message is not raw DEFLATE data.", e);
        }
        return output.ToArray();
    }
}
