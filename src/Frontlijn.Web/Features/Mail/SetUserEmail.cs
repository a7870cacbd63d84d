using FluentValidation;
using Frontlijn.Web.Features.ReplyLinks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Mail;

/// <summary>
/// <c>PUT /api/v1/users/{id}/email</c> <c>{email}</c> (admin): where a user's notification digest goes; null stops
/// it. A resource of its own rather than a member of PATCH /users, so that the user record stays as the contract
/// names it; a user without an address never gets mail.
/// </summary>
public static class SetUserEmail
{
    public sealed record Body(string? Email);

    public sealed record Command(Guid UserId, string? Email) : ICommand<Result>;

    public sealed record Result(Guid UserId, string? Email);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.Email).Must(FunctionalEmail.IsValid).When(c => c.Email is not null).WithMessage(FunctionalEmail.Invalid);
    }

    internal const string UpdateSql = "UPDATE users SET email = @email WHERE id = @userId";

    internal sealed class Handler(DbSession db) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            if (await db.ExecuteAsync(UpdateSql, new { command.UserId, command.Email }, ct) == 0)
            {
                throw ProblemException.NotFound("Deze gebruiker");
            }
            return new Result(command.UserId, command.Email);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPut("/users/{id:guid}/email", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.Email), ct)))
        .RequireAuthorization(Policies.Admin)
        .WithName("setUserEmail")
        .WithSummary("E-mailadres voor de meldingen-samenvatting van een gebruiker (beheerder)")
        .WithTags("Beheer");
}

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(MailSettings.FromConfiguration(configuration));
        services.AddSingleton<MailSender>();
        services.AddScoped<NotificationDigest>();
        return services;
    }
}
