using System.Net.NetworkInformation;
using System.Text.RegularExpressions;
using Anvil.Data;
using Anvil.Data.Ipam;
using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Network;

/// <summary>
/// MAAS's <c>ipaddresses/</c> resource: list, reserve and release user-reserved static addresses.
/// Anvil adds <c>count</c> to <c>op=reserve</c>: N addresses of a subnet in one transaction.
/// </summary>
internal static partial class IpAddressesApi
{
    public static void Map(ApiCatalogBuilder api) =>
        api.Handler("IPAddressesHandler", "ipaddresses/", "Static IP addresses reserved by users.")
            .Read(
                ListAsync,
                """
                List IP addresses.

                By default, the USER_RESERVED addresses of the caller. Admins may ask for every address
                (all) or for those of one user (owner).
                """,
                ApiParam.String("ip", "Only this IP address."),
                ApiParam.Bool("all", "(admin) Every allocated address, of any type and user."),
                ApiParam.String("owner", "(admin) Only the addresses of this username."),
                ApiError.BadRequest("The ip is not an IP address."),
                ApiError.Forbidden("all or owner was given by a non-admin."))
            .Post(
                "reserve",
                ReserveAsync,
                """
                Reserve an IP address.

                Reserves the given ip, or the next free address of the subnet (smallest free range
                first; never the gateway, a DNS server, an address in use, or one inside a dynamic or
                reserved range). With mac, the address is linked to the interface with that MAC (an
                unknown interface is created when there is none). Anvil extension: count reserves that
                many addresses in one transaction and answers with a list.
                """,
                ApiParam.String("subnet", "The subnet, by id, CIDR or name; optional when ip is given."),
                ApiParam.String("ip", "The address to reserve; the next free one when omitted."),
                ApiParam.String("ip_address", "Legacy name of ip."),
                ApiParam.String("hostname", "A hostname (optionally host.domain) for the address in DNS."),
                ApiParam.String("mac", "The MAC address of the interface to link the address to."),
                ApiParam.Int("count", $"(Anvil) How many addresses to reserve, 1 to {IpAllocator.MaxCount}; cannot be combined with ip."),
                ApiError.BadRequest("A parameter is invalid, or neither subnet nor ip was given."),
                ApiError.Forbidden("The ip is outside the subnet, or inside a dynamic range without mac."),
                ApiError.NotFound("No such subnet, or the ip is already in use."),
                ApiError.Unavailable("The subnet has no more free addresses."))
            .Post(
                "release",
                ReleaseAsync,
                """
                Release an IP address.

                Only the caller's own user-reserved addresses, unless an admin passes force. With
                discovered, the observed (DISCOVERED) address is released instead.
                """,
                ApiParam.String("ip", "The address to release.", required: true),
                ApiParam.Bool("force", "(admin) Release an address of any type or owner."),
                ApiParam.Bool("discovered", "Release the observed (DISCOVERED) address with this IP."),
                ApiError.BadRequest("The ip is not an IP address."),
                ApiError.Forbidden("force was given by a non-admin."),
                ApiError.NotFound("No such address that the caller may release."));

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var caller = request.Caller;
        var all = request.Bool("all", false);
        var owner = request.String("owner") is { Length: > 0 } o ? o : null;
        if ((all || owner is not null) && !caller.IsSuperuser)
            throw new ForbiddenException("Only administrators can list the IP addresses of all users.");
        var query = new IpAddressQuery
        {
            Ip = request.String("ip") is { Length: > 0 } ip ? ParseIp("ip", ip).ToString() : null,
            OwnerId = all || owner is not null ? null : caller.Id,
            OwnerUsername = owner,
            UserReservedOnly = !all && owner is null,
        };
        var addresses = await request.Service<Database>().ReadAsync(c => IpAddressStore.ListAsync(c, null, query, request.Aborted), request.Aborted);
        return ApiResult.Json(addresses.Select(IpAddressDto.From).ToList());
    }

    private static async Task<ApiResult> ReserveAsync(ApiRequest request)
    {
        var caller = request.Caller;
        var ipText = request.String("ip") is { Length: > 0 } i ? i : request.String("ip_address");
        var ipField = request.String("ip") is { Length: > 0 } ? "ip" : "ip_address";
        IpAddress? ip = ipText is { Length: > 0 } ? ParseIp(ipField, ipText) : null;
        var countGiven = request.Has("count") && request.String("count") is { Length: > 0 };
        var count = request.Int("count") ?? 1;
        if (count < 1 || count > IpAllocator.MaxCount)
            throw new ValidationException("count", $"Ensure this value is between 1 and {IpAllocator.MaxCount}.");
        if (ip is not null && count != 1)
            throw new ValidationException("count", "A requested ip is reserved alone; leave out count or ip.");
        var mac = request.String("mac") is { Length: > 0 } m ? NormalizeMac(m) : null;
        var (hostname, domain) = request.String("hostname") is { Length: > 0 } h ? SplitHostname(h) : (null, null);
        var subnetSpecifier = request.String("subnet") is { Length: > 0 } s ? s : null;
        if (subnetSpecifier is null && ip is null)
            throw new BadRequestException("Either subnet or ip must be given.");

        var addresses = await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                long subnetId;
                if (subnetSpecifier is not null)
                {
                    subnetId = await IpAddressStore.ResolveSubnetAsync(c, tx, subnetSpecifier, request.Aborted)
                        ?? throw new NotFoundException("No Subnet matches the given query.");
                }
                else
                {
                    subnetId = await IpAddressStore.FindSubnetContainingAsync(c, tx, ip!.Value, request.Aborted)
                        ?? throw new ForbiddenException($"IP address {ip} is outside every known subnet.");
                }

                var allocated = await IpAllocator.Shared.AllocateAsync(
                    c, tx, subnetId, IpAddressType.USER_RESERVED, count, caller.Id, ip, request.Aborted, allowDynamicRange: mac is not null);
                var ids = allocated.Select(a => a.Id).ToList();
                if (mac is not null)
                    await IpAddressStore.LinkToMacAsync(c, tx, subnetId, mac, ids, request.Aborted);
                if (hostname is not null)
                    await IpAddressStore.AddToDnsResourceAsync(c, tx, hostname, domain, ids, request.Aborted);
                return await IpAddressStore.ListAsync(c, tx, new IpAddressQuery { Ids = ids }, request.Aborted);
            },
            request.Aborted);
        var dtos = addresses.Select(IpAddressDto.From).ToList();
        return countGiven ? ApiResult.Json(dtos) : ApiResult.Json(dtos.Single());
    }

    private static async Task<ApiResult> ReleaseAsync(ApiRequest request)
    {
        var caller = request.Caller;
        var ip = ParseIp("ip", request.RequiredString("ip"));
        var force = request.Bool("force", false);
        var discovered = request.Bool("discovered", false);
        if (force && !caller.IsSuperuser)
            throw new ForbiddenException("Only administrators can release IP addresses with force.");

        await request.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var held = await IpAddressStore.FindAsync(c, tx, ip, discovered, request.Aborted);
                var mayRelease = held is not null
                    && (force || discovered || (held.AllocType == IpAddressType.USER_RESERVED && held.UserId == caller.Id));
                if (!mayRelease)
                    throw new NotFoundException($"IP address {ip} does not exist or is not a reservation of {caller.Username}.");
                await IpAllocator.ReleaseAsync(c, tx, [held!.Id], request.Aborted);
            },
            request.Aborted);
        return ApiResult.Deleted;
    }

    private static IpAddress ParseIp(string field, string text) =>
        IpAddress.TryParse(text, out var ip) ? ip : throw new ValidationException(field, "Enter a valid IPv4 or IPv6 address.");

    private static string NormalizeMac(string text)
    {
        var cleaned = text.Trim().Replace(':', '-');
        if (!PhysicalAddress.TryParse(cleaned, out var mac) || mac.GetAddressBytes().Length != 6)
            throw new ValidationException("mac", $"'{text}' is not a valid MAC address.");
        return string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static (string Name, string? Domain) SplitHostname(string text)
    {
        var hostname = text.Trim().TrimEnd('.').ToLowerInvariant();
        var dot = hostname.IndexOf('.', StringComparison.Ordinal);
        var (name, domain) = dot < 0 ? (hostname, (string?)null) : (hostname[..dot], hostname[(dot + 1)..]);
        if (!Label().IsMatch(name) || (domain is not null && !domain.Split('.').All(Label().IsMatch)))
            throw new ValidationException("hostname", $"'{text}' is not a valid hostname.");
        return (name, domain);
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Label();
}
