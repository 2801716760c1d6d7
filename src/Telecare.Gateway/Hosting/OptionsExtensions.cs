using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Telecare.Gateway.Hosting;

public static class OptionsExtensions
{
    /// <summary>
    /// Binds a configuration section, validates its data annotations at start, and fails the start with
    /// messages that name the configuration key (e.g. "Store:MaxBatch: The field MaxBatch must be between 1 and 10000.").
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return services.AddOptions<T>()
            .BindConfiguration(section)
            .ValidateOnStart();
    }

    private sealed class SectionValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }

            return ValidateOptionsResult.Fail(results.Select(r =>
                $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
