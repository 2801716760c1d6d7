using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Telecare.Core.Accounts;
using Telecare.Gateway.Hubs;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hubs;

/// <summary>
/// Every hub method names its own policy, checked on every invocation (a hub class's policy is checked only when the
/// connection opens). The table is the rule: a new hub method without a row, or without a policy, fails here.
/// </summary>
public sealed class HubAuthorizationTests
{
    private static readonly Dictionary<string, string> Rules = new()
    {
        ["DispatchHub.GetSnapshot"] = Policies.Dispatch,
        ["DispatchHub.Claim"] = Policies.HandleCalls,
        ["DispatchHub.AddNote"] = Policies.HandleCalls,
        ["DispatchHub.MarkEmergencyServicesCalled"] = Policies.HandleCalls,
        ["DispatchHub.Resolve"] = Policies.HandleCalls,
        ["DispatchHub.Close"] = Policies.HandleCalls,
        ["DispatchHub.AssignResponder"] = Policies.HandleCalls,
        ["DispatchHub.RaiseManualCall"] = Policies.HandleCalls,
        ["DispatchHub.RevealAccessDetails"] = Policies.HandleCalls,
        ["ResponderHub.GetSnapshot"] = Policies.Respond,
        ["ResponderHub.SetOnDuty"] = Policies.Respond,
        ["ResponderHub.Accept"] = Policies.Respond,
        ["ResponderHub.Decline"] = Policies.Respond,
        ["ResponderHub.EnRoute"] = Policies.Respond,
        ["ResponderHub.Arrived"] = Policies.Respond,
        ["ResponderHub.Left"] = Policies.Respond,
        ["ResponderHub.Complete"] = Policies.Respond,
    };

    private static IEnumerable<MethodInfo> HubMethods(Type hub) =>
        hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == hub);

    [Fact]
    public void Every_hub_method_has_a_rule_and_carries_exactly_that_policy()
    {
        var seen = new List<string>();
        foreach (var hub in new[] { typeof(DispatchHub), typeof(ResponderHub) })
        {
            foreach (var method in HubMethods(hub))
            {
                var name = $"{hub.Name}.{method.Name}";
                seen.Add(name);
                Assert.True(Rules.TryGetValue(name, out var expected), $"{name} has no rule in HubAuthorizationTests.Rules");
                var policies = method.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).ToList();
                Assert.True(policies.SequenceEqual([expected]), $"{name} carries [{string.Join(", ", policies)}], expected [{expected}]");
            }
        }

        Assert.Empty(Rules.Keys.Except(seen));
    }

    [Fact]
    public async Task An_admin_may_watch_the_dispatch_console_but_every_call_action_is_refused_and_a_handler_is_let_through()
    {
        await using var factory = new GatewayFactory();
        await using var admin = await factory.HubAsync("/hubs/dispatch", Roles.Admin);
        await admin.WaitForAsync("Snapshot");
        await admin.InvokeAsync("GetSnapshot");

        var actions = new (string Method, object?[] Arguments)[]
        {
            ("Claim", [999L]), ("AddNote", [999L, "note"]), ("MarkEmergencyServicesCalled", [999L]), ("Resolve", [999L, "false-alarm", null]),
            ("Close", [999L]), ("AssignResponder", [999L, 1L]), ("RaiseManualCall", [999L, null, null]), ("RevealAccessDetails", [999L]),
        };
        Assert.Equal(Rules.Count(r => r.Value == Policies.HandleCalls), actions.Length);
        foreach (var (method, arguments) in actions)
        {
            var refused = await Assert.ThrowsAsync<HubInvocationException>(() => admin.InvokeAsync(method, arguments));
            Assert.Contains("unauthorized", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        // The same calls from a handler pass the policy and reach the call service, which says the call does not exist.
        await using var handler = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await handler.WaitForAsync("Snapshot");
        foreach (var (method, arguments) in actions)
        {
            var answered = await Assert.ThrowsAsync<HubInvocationException>(() => handler.InvokeAsync(method, arguments));
            Assert.DoesNotContain("unauthorized", answered.Message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM audit WHERE action = 'resident.access-details.reveal'"));
    }
}
