"use strict";
// The media library picker opened by the story editor's figure dialog ("Browse…").
// django-prose-editor talks to file pickers the way CKEditor did: the picker calls
// window.opener.CKEDITOR.tools.callFunction(number, url, details).
{
    document.addEventListener("click", (event) => {
        const button = event.target.closest("[data-pick-image]");
        if (!button) return;
        const picker = document.querySelector("[data-func-num]");
        const opener = window.opener;
        if (!opener || !opener.CKEDITOR || !picker.dataset.funcNum) {
            picker.querySelector(".picker-no-opener").hidden = false;
            return;
        }
        opener.CKEDITOR.tools.callFunction(picker.dataset.funcNum, button.dataset.url, {
            id: button.dataset.pickImage,
            alternative_text: button.dataset.alt,
            caption: button.dataset.caption,
        });
        window.close();
    });
}
