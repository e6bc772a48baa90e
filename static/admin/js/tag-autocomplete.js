"use strict";
// Tag picker for the admin: Django's select2 autocomplete plus free typing.
// A typed word that matches no tag is sent as "new:<word>" so the server can
// never mistake a new tag called "2024" for the tag whose id is 2024.
//
// Django merges every widget's media, and this file can end up before
// jquery.init.js; so look for django.jQuery only once the page has loaded.
document.addEventListener("DOMContentLoaded", () => {
    const $ = django.jQuery;
    const prefix = "new:";

    function init(element) {
        $(element).select2({
            tags: true,
            tokenSeparators: [","],
            createTag: (params) => {
                const term = params.term.trim();
                return term ? {id: prefix + term, text: term, newTag: true} : null;
            },
            ajax: {
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName,
                }),
            },
        });
    }

    $(".admin-tag-autocomplete").not("[name*=__prefix__]").each((i, el) => init(el));
});
