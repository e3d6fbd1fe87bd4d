compile --stdout compile-no-documents
