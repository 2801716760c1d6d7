using System.Security.Claims;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

/// <summary>
/// A resident's key-safe code and access notes, revealed on request only. The read and its audit row are one unit in
/// the writer, so there is no reveal without its record (API and dispatch console alike).
/// </summary>
public static class AccessDetails
{
    public readonly record struct Revealed(bool Found, string? Text);

    public static async Task<Revealed> RevealAsync(
        StoreWriter writer, ResidentSecrets secrets, TimeProvider time, ClaimsPrincipal actor, long residentId, string? via = null)
    {
        var (found, protectedText) = await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("SELECT access_details_protected FROM residents WHERE id = $id");
            command.Parameters.AddWithValue("$id", residentId);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return (false, (string?)null);
            }

            var value = reader.Str(0);
            reader.Close();
            Audit.Write(context, time.GetUtcNow(), actor, "resident.access-details.reveal", $"resident/{residentId}", via);
            return (true, value);
        });
        return new Revealed(found, found ? secrets.Unprotect(protectedText) : null);
    }
}
