using FluentValidation;
using Frontlijn.Web.Infrastructure.Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.UnitTests.Validation;

/// <summary>
/// The validators are registered by name (Validators.cs) instead of by FluentValidation's assembly scan, to keep the
/// scan's loading of every type out of start-up. The scan is still the reference: here, where its cost does not count,
/// it must find exactly the validators the list registers, with the same service types and lifetime.
/// </summary>
public sealed class ValidatorRegistrationTests
{
    private static readonly List<AssemblyScanner.AssemblyScanResult> Scanned =
        AssemblyScanner.FindValidatorsInAssembly(typeof(Program).Assembly, includeInternalTypes: true).ToList();

    private static ServiceCollection Registered()
    {
        var services = new ServiceCollection();
        services.AddFrontlijnValidators();
        return services;
    }

    [Fact]
    public void TheScan_FindsTheServicesValidators() =>
        // Guards the comparison below against a scan that finds nothing (both sides empty would "match").
        Assert.True(Scanned.Count >= 40, $"the scan found only {Scanned.Count} validators");

    [Fact]
    public void EveryValidatorTheScanFinds_IsRegisteredUnderItsInterface_AndNoOther()
    {
        var expected = Scanned.Select(r => (r.InterfaceType, r.ValidatorType)).ToHashSet();
        var registered = Registered()
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidator<>))
            .Select(d => (d.ServiceType, d.ImplementationType!))
            .ToList();
        Assert.Equal(registered.Count, registered.Distinct().Count());
        var missing = expected.Except(registered).Select(p => p.Item2.FullName).ToList();
        var extra = registered.Except(expected).Select(p => p.Item2.FullName).ToList();
        Assert.True(missing.Count == 0, "not registered in Validators.cs: " + string.Join(", ", missing));
        Assert.True(extra.Count == 0, "registered but not a validator the scan finds: " + string.Join(", ", extra));
    }

    [Fact]
    public void EveryValidator_IsAlsoRegisteredAsItself_AsASingleton_LikeTheScanDid()
    {
        var services = Registered();
        Assert.All(services, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
        foreach (var result in Scanned)
        {
            Assert.Single(services, d => d.ServiceType == result.ValidatorType && d.ImplementationType == result.ValidatorType);
        }
    }
}
