import Foundation

/// A form of the administration pages (a customer's subscription, staff, policies, webhooks) as
/// data: `form.leaf` draws every one the same way — a label for each field, the value typed when
/// the form comes back refused, and the service's problem next to the field it names.
struct WebForm: Encodable, Sendable {
    /// Unique on the page; the fields' ids start with it.
    let id: String
    let title: String
    let action: String
    let submit: String
    var fields: [WebField]
    /// What the form does, in a sentence, above its fields.
    var hint: String? = nil
    /// A refusal that names no field of the form.
    var problem: String? = nil
    /// A form that was refused is drawn open, the others folded.
    var open: Bool = false
    /// Sent as `multipart/form-data` (a file field).
    var multipart: Bool = false

    init(id: String, title: String, action: String, submit: String, fields: [WebField], hint: String? = nil, multipart: Bool = false) {
        self.id = id
        self.title = title
        self.action = action
        self.submit = submit
        self.fields = fields.map { field in
            var field = field
            field.id = "\(id)-\(field.name)"
            return field
        }
        self.hint = hint
        self.multipart = multipart
    }

    /// The form as it was sent (`values`) and refused (`problem`): the problem beside the field it
    /// names (an indexed name such as `events[1]` belongs to `events`), or above the fields.
    func refused(_ problem: Problem, values: [String: String]) -> WebForm {
        var form = self
        form.open = true
        var placed = false
        for index in form.fields.indices {
            let name = form.fields[index].name
            if let value = values[name], form.fields[index].kind != "password", form.fields[index].kind != "file" {
                form.fields[index].value = value
                form.fields[index].options = form.fields[index].options.map { .init(value: $0.value, label: $0.label, selected: $0.value == value) }
            }
            if let field = problem.field, field == name || field.hasPrefix(name + "[") || field.hasPrefix(name + ".") {
                form.fields[index].error = problem.detail
                placed = true
            }
        }
        if !placed { form.problem = problem.detail }
        return form
    }
}

/// One labelled field of a `WebForm`.
struct WebField: Encodable, Sendable {
    /// The form field's name, as the service's problems name it (`termEnd`, `plan`).
    let name: String
    let label: String
    /// `text`, `email`, `date`, `number`, `password`, `select`, `checkbox`, `textarea`, `file`, `hidden`.
    let kind: String
    var value: String = ""
    var options: [Option] = []
    var required: Bool = false
    /// A short explanation under the label.
    var hint: String? = nil
    var error: String? = nil
    /// Set by the form: `form id-name`.
    var id: String = ""
    var maxLength: Int? = nil

    struct Option: Encodable, Sendable {
        let value: String
        let label: String
        var selected: Bool = false
    }

    /// A one-time key (`FormOnce`): the form, posted twice, does its work once.
    static func once() -> WebField {
        WebField(name: "once", label: "", kind: "hidden", value: FormToken.fresh())
    }

    static func text(_ name: String, _ label: String, value: String = "", required: Bool = false, hint: String? = nil, maxLength: Int = 2000) -> WebField {
        WebField(name: name, label: label, kind: "text", value: value, required: required, hint: hint, maxLength: maxLength)
    }

    static func date(_ name: String, _ label: String, value: String = "", required: Bool = false, hint: String? = nil) -> WebField {
        WebField(name: name, label: label, kind: "date", value: value, required: required, hint: hint)
    }

    static func select(_ name: String, _ label: String, _ options: [(value: String, label: String)], selected: String? = nil, hint: String? = nil) -> WebField {
        WebField(name: name, label: label, kind: "select", value: selected ?? "",
                 options: options.map { Option(value: $0.value, label: $0.label, selected: $0.value == selected) }, required: true, hint: hint)
    }

    /// A checkbox sends `yes` when ticked.
    static func checkbox(_ name: String, _ label: String, checked: Bool = false, hint: String? = nil) -> WebField {
        WebField(name: name, label: label, kind: "checkbox", value: checked ? "yes" : "", hint: hint)
    }

    static func textarea(_ name: String, _ label: String, value: String = "", required: Bool = false, hint: String? = nil, maxLength: Int = 2000) -> WebField {
        WebField(name: name, label: label, kind: "textarea", value: value, required: required, hint: hint, maxLength: maxLength)
    }
}

/// A form's fields as sent (`application/x-www-form-urlencoded`): text trimmed, an empty field
/// the same as one left out, a ticked checkbox `yes`.
struct FormValues: Sendable {
    let values: [String: String]

    init(_ values: [String: String]) {
        self.values = values
    }

    /// The field's text, trimmed; nil when empty or left out.
    subscript(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// The field's text or "" — for a field the service requires, so that it names the field.
    func text(_ name: String) -> String { self[name] ?? "" }

    func ticked(_ name: String) -> Bool { values[name] == "yes" }
}
