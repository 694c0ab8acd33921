// The admin API reference: renders every operation of /openapi/v1.json, and sends "Try it" requests
// with the key typed above. Roster's own file, no library: the page's CSP allows script from Roster
// only, no inline script, and fetches to Roster only. Nothing is written as HTML: every text from the
// document or a response goes in through textContent.
(function () {
    "use strict";

    var methods = ["get", "post", "put", "patch", "delete"];

    function element(tag, className, text) {
        var node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined && text !== null) node.textContent = String(text);
        return node;
    }

    function resolve(document, schema) {
        var seen = 0;
        while (schema && schema.$ref && seen++ < 20) {
            var parts = schema.$ref.replace(/^#\//, "").split("/");
            var target = document;
            for (var i = 0; i < parts.length && target; i++) target = target[parts[i]];
            schema = target;
        }
        return schema || {};
    }

    // A body to start from: every field of the request's schema, with a placeholder of its type.
    function example(document, schema, depth) {
        schema = resolve(document, schema);
        if (depth > 4) return null;
        // An optional field starts as null: sent as it is, it changes nothing.
        if (Array.isArray(schema.type) && schema.type.indexOf("null") >= 0 && !schema.properties) return null;
        var type = Array.isArray(schema.type) ? schema.type.filter(function (t) { return t !== "null"; })[0] : schema.type;
        if (type === "object" || schema.properties) {
            var result = {};
            Object.keys(schema.properties || {}).forEach(function (name) { result[name] = example(document, schema.properties[name], depth + 1); });
            return result;
        }
        if (type === "array") return [];
        if (type === "boolean") return false;
        if (type === "integer" || type === "number") return 0;
        if (type === "string") return "";
        return null;
    }

    function fillPath(path, values) {
        return path.replace(/\{([^}]+)\}/g, function (_, name) { return encodeURIComponent(values[name] || ""); });
    }

    function renderOperation(document, path, method, operation) {
        var details = element("details", "operation");
        var summary = element("summary");
        summary.appendChild(element("span", "method method-" + method, method.toUpperCase()));
        summary.appendChild(element("span", "path", path));
        summary.appendChild(element("span", "summary", operation.summary || ""));
        details.appendChild(summary);
        var body = element("div");
        details.appendChild(body);
        if (operation.description) body.appendChild(element("p", null, operation.description));

        var inputs = {};
        var parameters = (operation.parameters || []).map(function (p) { return resolve(document, p); });
        parameters.forEach(function (parameter) {
            if (parameter.in === "path" && parameter.name === "enterpriseId") return;
            var row = element("div", "field");
            var id = "p-" + (operation.operationId || method + path).replace(/[^A-Za-z0-9]/g, "-") + "-" + parameter.name;
            var label = element("label", null, parameter.name + (parameter.in === "path" ? " (path)" : ""));
            label.htmlFor = id;
            var input = element("input");
            input.type = "text";
            input.id = id;
            input.spellcheck = false;
            if (parameter.description) input.placeholder = parameter.description;
            row.appendChild(label);
            row.appendChild(input);
            body.appendChild(row);
            inputs[parameter.name] = { input: input, where: parameter.in };
        });

        var textarea = null;
        var content = operation.requestBody && operation.requestBody.content && operation.requestBody.content["application/json"];
        if (content) {
            var row = element("div", "field");
            var id = "b-" + (operation.operationId || method + path).replace(/[^A-Za-z0-9]/g, "-");
            var label = element("label", null, "Body (JSON)");
            label.htmlFor = id;
            textarea = element("textarea");
            textarea.id = id;
            textarea.spellcheck = false;
            textarea.value = JSON.stringify(example(document, content.schema, 0), null, 2);
            row.appendChild(label);
            row.appendChild(textarea);
            body.appendChild(row);
        }

        var responses = element("ul", "responses");
        Object.keys(operation.responses || {}).forEach(function (status) {
            responses.appendChild(element("li", null, status + " " + ((operation.responses[status] || {}).description || "")));
        });
        body.appendChild(element("h3", null, "Responses"));
        body.appendChild(responses);

        var button = element("button", null, "Try it");
        button.type = "button";
        var result = element("div");
        result.setAttribute("aria-live", "polite");
        body.appendChild(button);
        body.appendChild(result);
        button.addEventListener("click", function () { tryIt(path, method, inputs, textarea, result); });
        return details;
    }

    function tryIt(path, method, inputs, textarea, result) {
        var values = { enterpriseId: document.getElementById("enterprise-id").value.trim() };
        var query = [];
        Object.keys(inputs).forEach(function (name) {
            var value = inputs[name].input.value;
            if (inputs[name].where === "path") values[name] = value;
            else if (value !== "") query.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
        });
        var url = fillPath(path, values) + (query.length ? "?" + query.join("&") : "");
        var headers = { "Accept": "application/json" };
        var key = document.getElementById("api-key").value.trim();
        if (key) headers["Authorization"] = "Bearer " + key;
        var init = { method: method.toUpperCase(), headers: headers, credentials: "omit", cache: "no-store" };
        if (textarea) {
            headers["Content-Type"] = "application/json";
            init.body = textarea.value;
        }
        result.textContent = "";
        result.appendChild(element("p", null, init.method + " " + url));
        fetch(url, init).then(function (response) {
            return response.text().then(function (text) {
                var line = element("p", response.ok ? "status-ok" : "status-bad", response.status + " " + response.statusText);
                var pretty = text;
                try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON: shown as it came */ }
                result.appendChild(line);
                result.appendChild(element("pre", null, pretty));
            });
        }, function (error) {
            result.appendChild(element("p", "status-bad", "The request failed: " + error));
        });
    }

    function render(document) {
        var main = window.document.getElementById("operations");
        main.textContent = "";
        var info = document.info || {};
        if (info.description) main.appendChild(element("p", null, info.description));
        var groups = {};
        Object.keys(document.paths || {}).sort().forEach(function (path) {
            var item = document.paths[path];
            methods.forEach(function (method) {
                if (!item[method]) return;
                var section = path.replace(/^\/api\/v1\/enterprises\/\{enterpriseId\}\/?/, "").split("/")[0] || "enterprise";
                (groups[section] = groups[section] || []).push(renderOperation(document, path, method, item[method]));
            });
        });
        Object.keys(groups).forEach(function (section) {
            main.appendChild(element("h2", null, section));
            groups[section].forEach(function (node) { main.appendChild(node); });
        });
    }

    window.document.addEventListener("DOMContentLoaded", function () {
        fetch("/openapi/v1.json", { credentials: "omit" })
            .then(function (response) { return response.json(); })
            .then(render, function (error) {
                var loading = window.document.getElementById("loading");
                if (loading) loading.textContent = "The OpenAPI document could not be loaded: " + error;
            });
    });
})();
