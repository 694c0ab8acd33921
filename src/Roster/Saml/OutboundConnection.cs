using System.Net.Sockets;
using System.Net;

namespace Roster.Saml;

/// <summary>
/// How Roster's server opens a connection on an administrator's behalf (IdP metadata, webhook
/// deliveries): the host is resolved once, every address it resolves to is judged by
/// <see cref="OutboundAddressPolicy"/>, and exactly those addresses are dialled, so no second DNS
/// answer can lead elsewhere. Used as a SocketsHttpHandler's ConnectCallback.
/// </summary>
internal static class OutboundConnection
{
    /// <exception cref="OutboundAddressRefusedException">The host does not resolve, or resolves to an address Roster never connects to.</exception>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateAddresses, CancellationToken cancellationToken)
    {
        var host = endPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken);
        foreach (var address in addresses)
        {
            // Every address, not just the first: the socket below may use any of them.
            var refusal = OutboundAddressPolicy.Refusal(address, allowPrivateAddresses);
            if (refusal is not null)
            {
                throw new OutboundAddressRefusedException(IPAddress.TryParse(host.Trim('[', ']'), out _)
                    ? $"{address} is {refusal}."
                    : $"{host} resolves to {address}, {refusal}.");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new OutboundAddressRefusedException($"the host name {host} could not be resolved ({e.SocketErrorCode}).", e);
        }
        return addresses.Length > 0 ? addresses : throw new OutboundAddressRefusedException($"the host name {host} has no addresses.");
    }
}

/// <summary>Thrown in a connect callback, where HttpClient wraps it; carries the reason out.</summary>
internal sealed class OutboundAddressRefusedException : Exception
{
    public OutboundAddressRefusedException(string message) : base(message) { }

    public OutboundAddressRefusedException(string message, Exception inner) : base(message, inner) { }
}
