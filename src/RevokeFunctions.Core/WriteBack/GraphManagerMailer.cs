using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using RevokeFunctions.Graph;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// The manager email through Graph: <c>GET /users/{id}/manager</c> (<c>User.Read.All</c>, which the app holds anyway),
/// then <c>POST /users/{sender}/sendMail</c> (<c>Mail.Send</c>, which Exchange Online must restrict to the one sending
/// mailbox). The message says what happened and what the manager can expect; it leaves out the alert's details.
/// </summary>
public sealed class GraphManagerMailer(GraphServiceClient graph, IOptions<NotificationOptions> options) : IManagerMailer
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public async Task<ManagerMailResult> SendAsync(ManagerMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var sender = options.Value.ManagerEmail.Sender
            ?? throw new WriteBackException("Notifications:ManagerEmail:Sender is not set", null, isTransient: false);

        User? manager;
        try
        {
            manager = await graph.Users[mail.UserId].Manager.GetAsync(
                r => r.QueryParameters.Select = ["id", "displayName", "mail"], cancellationToken) as User;
        }
        catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { } failure)
        {
            if (failure.StatusCode == (int)HttpStatusCode.NotFound)
                return ManagerMailResult.NoManager;
            throw WriteBackException.FromGraph(failure, ex);
        }
        if (manager?.Mail is not { Length: > 0 } address)
            return ManagerMailResult.NoManager;

        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = $"Sign-in sessions ended for {mail.UserName}",
                Body = new ItemBody { ContentType = BodyType.Html, Content = Compose(mail, manager.DisplayName) },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = address, Name = manager.DisplayName } }],
            },
            SaveToSentItems = false,
        };
        try
        {
            await graph.Users[sender].SendMail.PostAsync(body, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { } failure)
        {
            throw WriteBackException.FromGraph(failure, ex);
        }
        return ManagerMailResult.Sent;
    }

    private static string Compose(ManagerMail mail, string? managerName)
    {
        var text = new StringBuilder(1024);
        text.Append("<p>").Append(Html.Encode(managerName is { Length: > 0 } ? $"Hello {managerName}," : "Hello,")).Append("</p>")
            .Append("<p>The security team's automation ended all sign-in sessions of <b>").Append(Html.Encode(mail.UserName))
            .Append("</b>, who reports to you. They have to sign in again on every device; if they cannot, or if this ")
            .Append("comes as a surprise to them, they should contact the service desk.</p>")
            .Append("<p>").Append(Html.Encode(RevocationNotice.Text)).Append("</p>")
            .Append("<p>Reference: request ").Append(Html.Encode(mail.RequestId));
        if (mail.Source is { } source)
        {
            text.Append(", ").Append(Html.Encode(source.Kind));
            if (source.Number is { Length: > 0 } number)
                text.Append(" #").Append(Html.Encode(number));
        }
        return text.Append(".</p>").ToString();
    }
}
