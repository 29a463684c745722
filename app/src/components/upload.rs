//! File upload with a progress bar. It posts to `/attachments` with XMLHttpRequest (the one browser API
//! that reports upload progress); a failed upload leaves everything else on the page as typed, and can be
//! retried.

use crate::i18n::Locale;
use crate::model::AttachmentView;
use leptos::prelude::*;

/// With `request_id`, the files are for a response to that request: they wait in the enclosing response
/// form (their ids go in its `attachments` field) and are listed until it is sent. Otherwise a file belongs
/// to the case at once, and the page reloads to list it. `l`: the reader's language.
#[island]
pub fn FileUpload(
    case_id: i64,
    #[prop(optional)] request_id: Option<i64>,
    #[prop(into)] label: String,
    #[prop(into)] id: String,
    l: Locale,
) -> impl IntoView {
    let (progress, set_progress) = signal(None::<u32>);
    let (error, set_error) = signal(None::<String>);
    let (files, set_files) = signal(Vec::<AttachmentView>::new());
    let for_response = request_id.is_some();
    let input = NodeRef::<leptos::html::Input>::new();
    let url = match request_id {
        Some(r) => format!("/attachments?case={case_id}&request={r}"),
        None => format!("/attachments?case={case_id}"),
    };
    let on_uploaded = move |f: AttachmentView| {
        if for_response {
            set_files.update(|v| v.push(f));
        } else {
            #[cfg(feature = "hydrate")]
            {
                super::server_form::set_flash(&tr!(l, "upload-file-added", name = f.file_name.clone()));
                let _ = window().location().reload();
            }
        }
    };
    let start = move |_| {
        set_error.set(None);
        #[cfg(feature = "hydrate")]
        send(l, &url, input, set_progress, set_error, on_uploaded);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&url, input, on_uploaded, set_progress);
    };
    let file_ids = move || files.get().iter().map(|f| f.id.to_string()).collect::<Vec<_>>().join(",");
    let input_id = format!("{id}-file");
    view! {
        {for_response.then(|| view! { <input type="hidden" name="attachments" prop:value=file_ids/> })}
        {move || {
            let list = files.get();
            (!list.is_empty()).then(|| view! {
                <div class="pending-files" role="status">
                    <p>{tr!(l, "upload-pending")}</p>
                    <ul class="plain">{list.into_iter().map(|f| view! { <li translate="no">{f.file_name} <span class="muted mono small">" " {f.sha256[..12].to_string()} "…"</span></li> }).collect_view()}</ul>
                </div>
            })
        }}
        <div class="upload">
            <label for=input_id.clone()>{label}</label>
            <div class="upload-row">
                <input type="file" id=input_id node_ref=input aria-describedby=format!("{id}-error")/>
                <button type="button" class="button secondary" on:click=start disabled=move || progress.get().is_some()>{tr!(l, "upload-button")}</button>
            </div>
            {move || progress.get().map(|p| view! {
                <div class="progress-line">
                    <progress max="100" value=p.to_string() aria-label=tr!(l, "upload-progress")>{p}"%"</progress>
                    <span>{p}"%"</span>
                </div>
            })}
            <p class="field-error" id=format!("{id}-error") role="alert">{move || error.get()}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn send(
    l: Locale,
    url: &str,
    input: NodeRef<leptos::html::Input>,
    set_progress: WriteSignal<Option<u32>>,
    set_error: WriteSignal<Option<String>>,
    on_uploaded: impl Fn(AttachmentView) + 'static,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(el) = input.get() else { return };
    let Some(file) = el.files().and_then(|f| f.get(0)) else {
        set_error.set(Some(tr!(l, "upload-choose")));
        return;
    };
    let Ok(form) = web_sys::FormData::new() else { return };
    if form.append_with_blob_and_filename("file", &file, &file.name()).is_err() {
        return;
    }
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
    if xhr.open("POST", url).is_err() {
        return;
    }
    set_progress.set(Some(0));
    if let Ok(upload) = xhr.upload() {
        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                set_progress.set(Some(((e.loaded() / e.total()) * 100.0).round() as u32));
            }
        });
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let done = xhr.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        set_progress.set(None);
        let status = done.status().unwrap_or(0);
        let text = done.response_text().ok().flatten().unwrap_or_default();
        if status == 201 {
            match serde_json::from_str::<AttachmentView>(&text) {
                Ok(view) => {
                    el.set_value("");
                    on_uploaded(view);
                }
                Err(_) => set_error.set(Some(tr!(l, "upload-unreadable"))),
            }
        } else {
            // The server's own refusal names the configured limit; a bare 413 comes from the body limit in
            // front of it, which has none to give.
            let message = serde_json::from_str::<crate::error::AppError>(&text)
                .map(|e| e.field_message("file").unwrap_or_else(|| e.message_in(l)))
                .unwrap_or_else(|_| match status {
                    413 => tr!(l, "upload-too-large"),
                    _ => tr!(l, "upload-failed", status = status as i64),
                });
            set_error.set(Some(message));
        }
    });
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        set_progress.set(None);
        set_error.set(Some(tr!(l, "upload-lost")));
    });
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    if xhr.send_with_opt_form_data(Some(&form)).is_err() {
        set_progress.set(None);
        set_error.set(Some(tr!(l, "upload-not-started")));
    }
}
