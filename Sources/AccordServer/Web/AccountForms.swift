import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// The forms on a customer's page that change the account, for managers and administrators: each
/// posts to `/console/customers/{id}/account/{form}` and is carried out by `Subscriptions`, as the
/// API's routes are. Which forms show follows the subscription's state: notice while it renews,
/// withdrawal once notice is given, reactivation after a lapse.
enum AccountForms {
    static func forms(for organization: Organization, policy: Policy, account: OrganizationResponse, today: LocalDate) -> [WebForm] {
        let base = "/console/customers/\(organization.id.uuidString)/account/"
        let plans = policy.plans.map { (value: $0.id, label: $0.name) }
        let subscription = account.subscription
        let reason = WebField.text("reason", "Reason (kept in the audit trail)")
        var forms = [
            WebForm(id: "edit", title: "Rename or move to another region", action: base + "edit", submit: "Save the account", fields: [
                .text("name", "Name", value: organization.name, required: true, maxLength: 200),
                .select("region", "Region", policy.regions.map { (value: $0.id, label: "\($0.name) (\($0.id))") }, selected: organization.regionID,
                        hint: "New cases run on the region's calendars; logged cases keep theirs."),
                reason,
            ]),
            WebForm(id: "plan", title: "Change the plan", action: base + "plan", submit: "Record the plan change", fields: [
                .select("plan", "New plan", plans, selected: subscription.plan),
                .date("effective", "From", value: today.description, required: true),
                reason,
            ], hint: "Cases logged from that day on run on the new plan's promises; the authorized contacts beyond its allowance are billed."),
        ]
        if subscription.status != "ended" {
            forms.append(WebForm(id: "renewal", title: "Renew for a new term", action: base + "renewal", submit: "Record the renewal", fields: [
                .date("termEnd", "Last day of the new term", required: true), reason,
            ], hint: "A new term after the one in force, which ends on \(subscription.currentTerm?.end ?? subscription.termEnd)."))
            forms.append(WebForm(id: "extension", title: "Extend the term in force", action: base + "extension", submit: "Record the extension", fields: [
                .date("termEnd", "New last day", required: true), reason,
            ]))
        }
        if let given = subscription.nonRenewalNotice {
            forms.append(WebForm(id: "notice-withdrawal", title: "Withdraw the notice of non-renewal", action: base + "notice-withdrawal",
                                 submit: "Withdraw the notice", fields: [],
                                 hint: "The notice given on \(given) is withdrawn and the subscription renews again."))
        } else if subscription.status == "active" {
            let deadline = subscription.noticeDeadline.map { "Notice is due by \($0) to end the subscription with this term. " } ?? ""
            forms.append(WebForm(id: "notice", title: "Record notice of non-renewal", action: base + "notice", submit: "Record the notice", fields: [
                .date("givenOn", "Notice given on", value: today.description, required: true,
                      hint: "Only an administrator may record a notice given before today, and says why."),
                reason,
            ], hint: deadline + "The customer's notice, as they gave it."))
        }
        if subscription.status == "ended" {
            let rule = policy.rules.renewal?.reactivation
            forms.append(WebForm(id: "reactivation", title: "Reactivate support", action: base + "reactivation", submit: "Reactivate", fields: [
                .select("plan", "Plan", plans, selected: plans.first?.value),
                .date("termEnd", "Last day of the new term", required: true),
                .checkbox("feesCurrent", "The customer is current on all fees",
                          hint: rule?.requiresFeesCurrent == true ? "\(policy.name) reactivates only then." : nil),
                reason,
            ], hint: rule?.termStartsAtExpiry == true ? "\(policy.name): the new term begins on the expiry of the previous one." : nil))
        }
        return forms
    }

    /// Carries out the form `id` with what was sent.
    static func submit(_ id: String, _ values: FormValues, to organization: Organization, with subscriptions: Subscriptions,
                       by caller: Person) async throws -> Organization {
        switch id {
        case "edit":
            return try await subscriptions.edit(organization, name: values["name"], region: values["region"], reason: values["reason"], by: caller)
        case "plan":
            return try await subscriptions.changePlan(organization, to: values.text("plan"), effective: values.text("effective"),
                                                      reason: values["reason"], by: caller)
        case "renewal":
            return try await subscriptions.renew(organization, through: values.text("termEnd"), reason: values["reason"], by: caller)
        case "extension":
            return try await subscriptions.extend(organization, through: values.text("termEnd"), reason: values["reason"], by: caller)
        case "notice":
            return try await subscriptions.giveNotice(for: organization, givenOn: values["givenOn"], reason: values["reason"], by: caller)
        case "notice-withdrawal":
            return try await subscriptions.withdrawNotice(for: organization, by: caller)
        case "reactivation":
            return try await subscriptions.reactivate(organization, plan: values.text("plan"), through: values.text("termEnd"),
                                                      feesCurrent: values.ticked("feesCurrent"), reason: values["reason"], by: caller)
        default:
            throw Problem(.notFound, "no such change of an account: \(id)")
        }
    }
}
