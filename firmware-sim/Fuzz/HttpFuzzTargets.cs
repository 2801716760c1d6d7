using System.Net;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// Every JSON body the gateway takes, as one valid example to mutate, and the answers that count as deliberate. Any
/// other answer (a 500 above all) means a body reached code that did not expect it.
/// </summary>
public static class HttpFuzzTargets
{
    public static readonly IReadOnlySet<HttpStatusCode> Deliberate = new HashSet<HttpStatusCode>
    {
        HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.NoContent, HttpStatusCode.BadRequest,
        HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.RequestEntityTooLarge,
        HttpStatusCode.UnsupportedMediaType, HttpStatusCode.TooManyRequests,
    };

    /// <summary>One valid body per endpoint; <paramref name="residentId"/> is an existing resident for the per-resident routes.</summary>
    public static IReadOnlyList<(string Method, string Path, string Body)> Seeds(long residentId) =>
    [
        ("POST", "/api/v1/signals", """{"deviceId":"fuzz-1","seq":1,"ts":"2026-11-22T03:12:09Z","type":"pendant.press","restore":false,"battery":87,"zone":"1","data":{"room":"hall"}}"""),
        ("POST", "/api/v1/residents", """{"firstName":"Ann","lastName":"Smith","address":"2 Mill Lane","postcode":"SN1 1AA","phone":"01380 123456","dateOfBirth":"1940-02-03","flags":["dementia"],"medicalNotes":"none","accessDetails":"key safe 1234","contacts":[{"name":"Bob","relationship":"son","phone":"07700 900123","isKeyholder":true,"priority":1}]}"""),
        ("POST", "/api/v1/devices", """{"type":"pendant","deviceId":"fuzz-dev","residentId":1,"checkinIntervalSeconds":3600,"allocationCondition":"falls","allocationReason":"lives alone"}"""),
        ("POST", "/api/v1/zones", """{"name":"Zone X","attendanceTargetMinutes":30}"""),
        ("POST", "/api/v1/users", """{"username":"fuzzer","role":"handler","password":"a-long-enough-password"}"""),
        ("PUT", $"/api/v1/residents/{residentId}/expected-activity", """{"rules":[{"name":"up","kind":"NoMovementBy","by":"10:00","from":"05:00","priority":"P2"},{"name":"night","kind":"OutOfBedLongerThan","limit":"00:30:00","window":"22:00-07:00"}]}"""),
        ("POST", "/api/v1/auth/login", """{"username":"admin","password":"wrong-password"}"""),
    ];
}
